using System.Buffers.Binary;

namespace Bulwark.Kernel.Tracing;

/// <summary>The structures the common calls pass, in strace's abbreviated form (riscv64 layouts, which
/// are asm-generic's): the fields people look at, "..." for the rest, the address when unreadable.</summary>
internal static class StructText
{
    private static long I64(byte[] b, int at) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(at));
    private static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));
    private static int I32(byte[] b, int at) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(at));
    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    private static short I16(byte[] b, int at) => BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(at));

    private static string Struct(GuestView memory, ulong address, int size, Func<byte[], string> format) =>
        address == 0 ? "NULL" : memory.Read(address, size) is { } b ? format(b) : TraceText.Pointer(address);

    /// <summary>struct stat: type and permissions, then the size (or the device numbers of a device).</summary>
    public static string Stat(GuestView memory, ulong address) => Struct(memory, address, 128, b =>
    {
        uint mode = U32(b, 16);
        ulong rdev = U64(b, 32);
        string second = (mode & 0xf000) is 0x2000 or 0x6000
            ? $"st_rdev=makedev(0x{(rdev >> 8) & 0xfff:x}, 0x{(rdev & 0xff) | ((rdev >> 12) & 0xfff00):x})"
            : $"st_size={I64(b, 48)}";
        return $"{{st_mode={FlagText.FileMode(mode)}, {second}, ...}}";
    });

    private static string Timespec(byte[] b, int at) => $"{{tv_sec={I64(b, at)}, tv_nsec={I64(b, at + 8)}}}";

    public static string Timespec(GuestView memory, ulong address) => Struct(memory, address, 16, b => Timespec(b, 0));

    public static string Timeval(GuestView memory, ulong address) =>
        Struct(memory, address, 16, b => $"{{tv_sec={I64(b, 0)}, tv_usec={I64(b, 8)}}}");

    public static string Itimerspec(GuestView memory, ulong address) =>
        Struct(memory, address, 32, b => $"{{it_interval={Timespec(b, 0)}, it_value={Timespec(b, 16)}}}");

    /// <summary>utimensat's two times, with UTIME_NOW and UTIME_OMIT named.</summary>
    public static string TimePair(GuestView memory, ulong address) => Struct(memory, address, 32, b =>
    {
        string One(int at) => I64(b, at + 8) switch
        {
            (1L << 30) - 1 => "UTIME_NOW",
            (1L << 30) - 2 => "UTIME_OMIT",
            _ => Timespec(b, at),
        };
        return $"[{One(0)}, {One(16)}]";
    });

    /// <summary>An iovec array; with <paramref name="bytes"/> known (writev's lengths, readv's result) only
    /// that many bytes of the buffers are shown, each cut after 32.</summary>
    public static string Iovecs(GuestView memory, ulong address, long count, long bytes)
    {
        long left = bytes;
        return memory.Elements(address, count, 16, e =>
        {
            ulong @base = U64(e, 0), length = U64(e, 8);
            long shown = Math.Min((long)Math.Min(length, long.MaxValue), Math.Max(left, 0));
            left -= shown;
            return $"{{iov_base={memory.Buffer(@base, shown)}, iov_len={length}}}";
        });
    }

    /// <summary>Total length of an iovec array (what writev is asked to write).</summary>
    public static long IovecBytes(GuestView memory, ulong address, long count)
    {
        long total = 0;
        int shown = (int)Math.Clamp(count, 0, TraceText.MaxShown);
        if (memory.Read(address, shown * 16) is not { } b) return 0;
        for (int i = 0; i < shown; i++) total += (long)Math.Min(U64(b, i * 16 + 8), int.MaxValue);
        return total;
    }

    public static string PollRequests(GuestView memory, ulong address, long count) =>
        memory.Elements(address, count, 8, e => $"{{fd={I32(e, 0)}, events={FlagText.Poll((ushort)I16(e, 4))}}}");

    /// <summary>The descriptors poll reported, as strace appends them to the result: `[{fd=4, revents=POLLOUT}]`.</summary>
    public static string PollReplies(GuestView memory, ulong address, long count) =>
        memory.Elements(address, count, 8, e => I16(e, 6) == 0 ? null : $"{{fd={I32(e, 0)}, revents={FlagText.Poll((ushort)I16(e, 6))}}}");

    /// <summary>struct epoll_event: events, then the 64-bit data (padded to 16 bytes on riscv64).</summary>
    public static string EpollEvents(GuestView memory, ulong address, long count) =>
        memory.Elements(address, count, 16, e => $"{{events={FlagText.Epoll(U32(e, 0))}, data={{u32={U32(e, 8)}, u64={U64(e, 8)}}}}}");

    public static string EpollEvent(GuestView memory, ulong address) => Struct(memory, address, 16,
        b => $"{{events={FlagText.Epoll(U32(b, 0))}, data={{u32={U32(b, 8)}, u64={U64(b, 8)}}}}}");

    /// <summary>The kernel's struct sigaction on riscv64: handler, flags, mask (no restorer).</summary>
    public static string Sigaction(GuestView memory, ulong address) => Struct(memory, address, 24, b =>
        $"{{sa_handler={SignalText.Handler(U64(b, 0))}, sa_mask={SignalText.Set(U64(b, 16))}, sa_flags={SignalText.ActionFlags(U64(b, 8))}}}");

    public static string Sigset(GuestView memory, ulong address) => Struct(memory, address, 8, b => SignalText.Set(U64(b, 0)));

    /// <summary>A limit as strace shows it: infinity named, multiples of 1024 as N*1024.</summary>
    private static string Limit(ulong value, string infinity) =>
        value == ulong.MaxValue ? infinity : value != 0 && value % 1024 == 0 ? $"{value / 1024}*1024" : value.ToString();

    public static string Rlimit(GuestView memory, ulong address, string infinity) =>
        Struct(memory, address, 16, b => $"{{rlim_cur={Limit(U64(b, 0), infinity)}, rlim_max={Limit(U64(b, 8), infinity)}}}");

    public static string Utsname(GuestView memory, ulong address) =>
        address == 0 ? "NULL" : memory.Read(address, 130) is null ? TraceText.Pointer(address)
            : $"{{sysname={memory.String(address, 64)}, nodename={memory.String(address + 65, 64)}, ...}}";

    public static string Stack(GuestView memory, ulong address) => Struct(memory, address, 24, b =>
        $"{{ss_sp={TraceText.Pointer(U64(b, 0))}, ss_flags={TraceText.Flags(U32(b, 8), [(1, "SS_ONSTACK"), (2, "SS_DISABLE"), (1UL << 31, "SS_AUTODISARM")])}, ss_size={U64(b, 16)}}}");

    /// <summary>struct flock: type, whence, start, length (and the holder's pid, which F_GETLK fills in).</summary>
    public static string Flock(GuestView memory, ulong address, bool withPid) => Struct(memory, address, 32, b =>
        $"{{l_type={FlagText.LockType(I16(b, 0))}, l_whence={FlagText.Whence(I16(b, 2))}, l_start={I64(b, 8)}, l_len={I64(b, 16)}"
        + (withPid ? $", l_pid={I32(b, 24)}}}" : "}"));

    /// <summary>The two descriptors pipe2 returned.</summary>
    public static string FdPair(GuestView memory, ulong address) => Struct(memory, address, 8, b => $"[{I32(b, 0)}, {I32(b, 4)}]");

    /// <summary>A wait status as strace decodes it: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.</summary>
    public static string WaitStatus(GuestView memory, ulong address) => Struct(memory, address, 4, b =>
    {
        int s = I32(b, 0);
        if ((s & 0x7f) == 0) return $"[{{WIFEXITED(s) && WEXITSTATUS(s) == {(s >> 8) & 0xff}}}]";
        if ((s & 0xff) == 0x7f) return $"[{{WIFSTOPPED(s) && WSTOPSIG(s) == {SignalText.Name((s >> 8) & 0xff)}}}]";
        string core = (s & 0x80) != 0 ? " && WCOREDUMP(s)" : "";
        return $"[{{WIFSIGNALED(s) && WTERMSIG(s) == {SignalText.Name(s & 0x7f)}{core}}}]";
    });

    /// <summary>A CPU mask: the numbers of the set bits, `[0 1 2 3]`.</summary>
    public static string CpuMask(GuestView memory, ulong address, long bytes) =>
        memory.Read(address, (int)Math.Clamp(bytes, 0, 1024)) is { } b ? Bits(b, b.Length * 8) : TraceText.Pointer(address);

    /// <summary>An fd_set of select: the set descriptors below <paramref name="count"/>, `[3 4]`.</summary>
    public static string FdSet(GuestView memory, ulong address, long count)
    {
        if (address == 0) return "NULL";
        int limit = (int)Math.Clamp(count, 0, 1024);
        return memory.Read(address, (limit + 63) / 64 * 8) is { } b ? Bits(b, limit) : TraceText.Pointer(address);
    }

    private static string Bits(byte[] b, int limit) =>
        "[" + string.Join(' ', Enumerable.Range(0, limit).Where(i => (b[i / 8] & (1 << (i % 8))) != 0)) + "]";

    /// <summary>getdents64's buffer, as strace shows it by default: the address and how many entries it holds.</summary>
    public static string Dirents(GuestView memory, ulong address, long bytes)
    {
        if (memory.Read(address, (int)Math.Clamp(bytes, 0, 1 << 20)) is not { } b) return TraceText.Pointer(address);
        int entries = 0;
        for (int at = 0; at + 19 <= b.Length; entries++)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 16));
            if (length == 0) break;
            at += length;
        }
        return $"0x{address:x} /* {entries} entries */";
    }

    /// <summary>execve's argv: the strings, at most 32 (each cut after 32 bytes).</summary>
    public static string Argv(GuestView memory, ulong address)
    {
        if (address == 0) return "NULL";
        var parts = new List<string>();
        for (int i = 0; ; i++)
        {
            if (memory.U64(address + (ulong)(8 * i)) is not { } pointer) return TraceText.Pointer(address);
            if (pointer == 0) break;
            if (i == TraceText.MaxShown)
            {
                parts.Add("...");
                break;
            }
            parts.Add(memory.String(pointer));
        }
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>execve's envp, as strace abbreviates it: the address and the number of variables.</summary>
    public static string Envp(GuestView memory, ulong address)
    {
        if (address == 0) return "NULL";
        int count = 0;
        while (memory.U64(address + (ulong)(8 * count)) is { } pointer && pointer != 0 && count < 1 << 16) count++;
        return $"0x{address:x} /* {count} vars */";
    }
}
