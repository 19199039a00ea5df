using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;
using static Bulwark.Kernel.Tracing.ArgKind;

namespace Bulwark.Kernel.Tracing;

/// <summary>Formats one argument or result of a call from its registers (a0..a5 as they were at entry)
/// and, for pointers, the guest memory seen through <see cref="GuestView"/>.</summary>
internal static class ArgumentText
{
    /// <summary>Whether the argument is something the call fills in, so it is shown after the call (as strace does).</summary>
    public static bool AfterCall(Arg arg, ulong[] raw) => arg.Kind switch
    {
        OutBuffer or OutRandom or OutPath or OutIovec or OutSigset or OutSigaction or OutTimespec or OutTimeval
            or OutItimerspec or OutStat or OutWaitStatus or OutFdPair or OutRlimit or OutRlimit64 or OutUtsname
            or OutDirents or OutEpollEvents or OutCpuMask or OutStack => true,
        FcntlArg => (int)raw[1] is FlagText.FGetLk or FlagText.FOfdGetLk,
        _ => false,
    };

    public static bool IsError(long result) => result is < 0 and >= -4095;

    /// <summary>The argument's text, or null when the call does not take it (open's mode without O_CREAT...).
    /// <paramref name="result"/> is the call's result for arguments shown after it.</summary>
    public static string? Format(Arg arg, ulong[] raw, long result, GuestThread thread, GuestView memory)
    {
        ulong v = raw[arg.Register];
        ulong Next() => raw[arg.Register + 1];
        if (AfterCall(arg, raw) && IsError(result)) return TraceText.Pointer(v);
        return arg.Kind switch
        {
            Int => ((long)v).ToString(),
            UInt => v.ToString(),
            Hex => TraceText.Hex(v),
            Pointer => TraceText.Pointer(v),
            Fd => ((int)v).ToString(),
            AtFd => (int)v == -100 ? "AT_FDCWD" : ((int)v).ToString(),
            ArgKind.Path => memory.Path(v),
            ArgKind.String => memory.String(v),
            Mode => TraceText.Octal(v),
            OpenMode => FlagText.OpenTakesMode(raw[arg.Register - 1]) ? TraceText.Octal(v) : null,
            InBuffer => memory.Buffer(v, (long)Next()),
            OutBuffer => memory.Buffer(v, result),
            OutRandom => memory.Buffer(v, result, hex: true),
            OutPath => memory.Path(v),
            InIovec => StructText.Iovecs(memory, v, (long)Next(), StructText.IovecBytes(memory, v, (long)Next())),
            OutIovec => StructText.Iovecs(memory, v, (long)Next(), result),
            OpenFlags => FlagText.Open(v),
            FileStatusFlags => FlagText.FileStatus(v),
            MmapProtection => FlagText.MmapProtection(v),
            MmapFlags => FlagText.MmapFlags(v),
            CloneStack => "child_stack=" + TraceText.Pointer(v),
            CloneFlags => "flags=" + FlagText.Clone(v),
            CloneParentTid => (raw[0] & FlagText.CloneParentSetTid) != 0 ? "parent_tid=" + TraceText.Pointer(v) : null,
            CloneTls => (raw[0] & FlagText.CloneSetTls) != 0 ? "tls=" + TraceText.Pointer(v) : null,
            CloneChildTid => (raw[0] & FlagText.CloneChildTid) != 0 ? "child_tidptr=" + TraceText.Pointer(v) : null,
            FcntlCommand => FlagText.FcntlCommand((int)v),
            FcntlArg => Fcntl((int)raw[1], v, memory),
            Ioctl => FlagText.Ioctl((uint)v),
            ArgKind.Signal => SignalText.Name((int)v),
            SigHow => SignalText.How((int)v),
            InSigset or OutSigset => StructText.Sigset(memory, v),
            InSigaction or OutSigaction => StructText.Sigaction(memory, v),
            SigreturnFrame => memory.U64(thread.Registers.X[2] + SignalFrame.InfoSize + SignalFrame.UcontextSigmask) is { } mask
                ? $"{{mask={SignalText.Set(mask)}}}" : TraceText.Pointer(thread.Registers.X[2]),
            FutexOp => FlagText.FutexOperation((int)v),
            FutexRest => Futex((int)raw[1], raw, memory),
            InTimespec or OutTimespec => StructText.Timespec(memory, v),
            OutTimeval => StructText.Timeval(memory, v),
            InItimerspec or OutItimerspec => StructText.Itimerspec(memory, v),
            InTimePair => StructText.TimePair(memory, v),
            Clock => FlagText.Clock((int)v),
            TimerFlags => FlagText.TimerFlags(v),
            OutStat => StructText.Stat(memory, v),
            Access => FlagText.Access(v),
            Whence => FlagText.Whence((int)v),
            AtFlags => FlagText.At(v),
            AtEaccess => FlagText.At(v, "AT_EACCESS"),
            Madvise => FlagText.Madvise((int)v),
            Fadvise => FlagText.Fadvise((int)v),
            OutWaitStatus => StructText.WaitStatus(memory, v),
            WaitOptions => FlagText.Wait(v),
            OutFdPair => StructText.FdPair(memory, v),
            Resource => FlagText.Resource((int)v),
            InRlimit or OutRlimit => StructText.Rlimit(memory, v, "RLIM_INFINITY"),
            InRlimit64 or OutRlimit64 => StructText.Rlimit(memory, v, "RLIM64_INFINITY"),
            RusageWho => FlagText.RusageWho((int)v),
            OutUtsname => StructText.Utsname(memory, v),
            OutDirents => StructText.Dirents(memory, v, result),
            EpollOp => FlagText.EpollOperation((int)v),
            InEpollEvent => StructText.EpollEvent(memory, v),
            OutEpollEvents => StructText.EpollEvents(memory, v, result),
            InCpuMask => StructText.CpuMask(memory, v, (long)raw[arg.Register - 1]),
            OutCpuMask => StructText.CpuMask(memory, v, result),
            PollFds => StructText.PollRequests(memory, v, (long)Next()),
            RandomFlags => FlagText.Random(v),
            FlockOp => FlagText.Flock(v),
            RenameFlags => FlagText.Rename(v),
            FallocateMode => FlagText.Fallocate(v),
            EventfdFlags => FlagText.Eventfd(v),
            TimerfdFlags => FlagText.Timerfd(v),
            EpollCreateFlags => FlagText.EpollCreate(v),
            InStack or OutStack => StructText.Stack(memory, v),
            Argv => StructText.Argv(memory, v),
            Envp => StructText.Envp(memory, v),
            FdSet => StructText.FdSet(memory, v, (long)raw[0]),
            _ => TraceText.Hex(v),
        };
    }

    /// <summary>fcntl's third argument as its command reads it; the commands that take none show none.</summary>
    private static string? Fcntl(int command, ulong v, GuestView memory) => command switch
    {
        FlagText.FGetFd or FlagText.FGetFl or FlagText.FGetOwn or FlagText.FGetSig or FlagText.FGetLease
            or FlagText.FGetPipeSize or FlagText.FGetSeals => null,
        FlagText.FSetFd => FlagText.FdFlags(v),
        FlagText.FSetFl => FlagText.Open(v),
        FlagText.FGetLk or FlagText.FOfdGetLk => StructText.Flock(memory, v, withPid: true),
        FlagText.FSetLk or FlagText.FSetLkW or FlagText.FOfdSetLk or FlagText.FOfdSetLkW => StructText.Flock(memory, v, withPid: false),
        _ => ((long)v).ToString(),
    };

    /// <summary>futex's arguments after the operation: only those the operation reads, as strace shows them.</summary>
    private static string Futex(int op, ulong[] raw, GuestView memory)
    {
        string value = ((int)raw[2]).ToString();
        string Timeout() => StructText.Timespec(memory, raw[3]);
        string Value2() => ((int)raw[3]).ToString();
        string Address2() => TraceText.Pointer(raw[4]);
        string Bitset() => (uint)raw[5] == uint.MaxValue ? "FUTEX_BITSET_MATCH_ANY" : $"0x{(uint)raw[5]:x}";
        string[] parts = (op & 0x7f) switch
        {
            0 => [value, Timeout()],
            1 or 2 => [value],
            3 => [value, Value2(), Address2()],
            4 or 12 => [value, Value2(), Address2(), ((int)raw[5]).ToString()],
            5 => [value, Value2(), Address2(), $"0x{(uint)raw[5]:x}"],
            6 or 13 => [Timeout()],
            7 or 8 => [],
            9 => [value, Timeout(), Bitset()],
            10 => [value, Bitset()],
            11 => [value, Timeout(), Address2()],
            _ => [value, TraceText.Hex(raw[3]), TraceText.Hex(raw[4]), TraceText.Hex(raw[5])],
        };
        return string.Join(", ", parts);
    }

    /// <summary>The result as strace shows it: `-1 ENOENT (No such file or directory)` for a failure, else by the call's kind.</summary>
    public static string Result(SyscallSignature signature, ulong[] raw, long result, GuestView memory)
    {
        if (IsError(result))
        {
            var (name, text) = ErrnoNames.Of((int)-result);
            return $"-1 {name} ({text})";
        }
        return signature.Result switch
        {
            ResultKind.Hex => TraceText.Hex((ulong)result),
            ResultKind.Octal => TraceText.Octal((ulong)result),
            ResultKind.Fcntl when (int)raw[1] == FlagText.FGetFd && result != 0 => $"0x{result:x} (flags {FlagText.FdFlags((ulong)result)})",
            ResultKind.Fcntl when (int)raw[1] == FlagText.FGetFl => $"{TraceText.Hex((ulong)result)} (flags {FlagText.Open((ulong)result)})",
            ResultKind.Poll => result == 0 ? "0 (Timeout)" : $"{result} ({StructText.PollReplies(memory, raw[0], (long)raw[1])})",
            ResultKind.Signal => $"{result} ({SignalText.Name(result)})",
            _ => result.ToString(),
        };
    }
}
