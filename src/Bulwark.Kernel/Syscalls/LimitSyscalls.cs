using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Resource limits that are honoured (getrlimit, setrlimit, prlimit64), resource usage in virtual time
/// (getrusage, times) and CPU affinity over the harts (sched_setaffinity; sched_getaffinity is in InfoSyscalls).</summary>
public static class LimitSyscalls
{
    private const int RusageSelf = 0, RusageChildren = -1, RusageThread = 1;
    private const long TicksPerSecond = 100;

    public static void Register(SyscallTable t)
    {
        t.Add(163, "getrlimit", c => c.IntArg(0) is < 0 or >= ResourceLimits.Count ? ValueTask.FromResult((long)-Errno.EINVAL) : Get(c, c.Process, c.IntArg(0), c.Arg(1)));
        t.Add(164, "setrlimit", c => Prlimit(c, c.Process, c.IntArg(0), c.Arg(1), 0));
        t.Add(261, "prlimit64", Prlimit64);
        t.Add(165, "getrusage", Getrusage);
        t.Add(153, "times", Times);
        t.Add(122, "sched_setaffinity", SchedSetaffinity);
    }

    private static async ValueTask<long> Get(SyscallContext c, Process process, int resource, ulong address)
    {
        var (cur, max) = process.Limits[resource];
        var raw = new byte[16];
        BitConverter.TryWriteBytes(raw, cur);
        BitConverter.TryWriteBytes(raw.AsSpan(8), max);
        return await c.User.CopyToUser(address, raw, 0, 16) ? 0 : -Errno.EFAULT;
    }

    private static ValueTask<long> Prlimit64(SyscallContext c)
    {
        int pid = c.IntArg(0);
        var process = pid == 0 ? c.Process : c.Kernel.FindProcess(pid);
        if (process == null || process.Exited) return ValueTask.FromResult((long)-Errno.ESRCH);
        return Prlimit(c, process, c.IntArg(1), c.Arg(2), c.Arg(3));
    }

    /// <summary>Reads the old limit before setting the new one; an unprivileged user may lower the hard limit
    /// and move the soft one up to it, nothing more.</summary>
    private static async ValueTask<long> Prlimit(SyscallContext c, Process process, int resource, ulong newAddress, ulong oldAddress)
    {
        if (resource is < 0 or >= ResourceLimits.Count) return -Errno.EINVAL;
        (ulong Cur, ulong Max)? requested = null;
        if (newAddress != 0)
        {
            var raw = new byte[16];
            if (!await c.User.CopyFromUser(newAddress, raw, 0, 16)) return -Errno.EFAULT;
            requested = (BitConverter.ToUInt64(raw, 0), BitConverter.ToUInt64(raw, 8));
        }
        if (oldAddress != 0 && await Get(c, process, resource, oldAddress) is var got && got < 0) return got;
        if (requested is not { } limit) return 0;
        if (limit.Cur > limit.Max) return -Errno.EINVAL;
        if (limit.Max > process.Limits[resource].Max) return -Errno.EPERM;
        if (resource == ResourceLimits.Nofile && limit.Max > ResourceLimits.MaxNofile) return -Errno.EPERM;
        process.Limits[resource] = limit;
        if (resource == ResourceLimits.Nofile) process.Files.Limit = (int)Math.Min(limit.Cur, (ulong)FileTable.MaxFds);
        return 0;
    }

    private static void PutTimeval(Span<byte> at, ulong ns)
    {
        BitConverter.TryWriteBytes(at, (long)(ns / 1_000_000_000));
        BitConverter.TryWriteBytes(at[8..], (long)(ns % 1_000_000_000 / 1000));
    }

    /// <summary>struct rusage: user time is the virtual time the threads ran (1 ns an instruction), system time
    /// is 0, ru_maxrss the resident size now.</summary>
    private static async ValueTask<long> Getrusage(SyscallContext c)
    {
        int who = c.IntArg(0);
        ulong ns = who switch
        {
            RusageSelf or RusageThread => c.Process.UserNs,
            RusageChildren => c.Process.ChildrenUserNs,
            _ => ulong.MaxValue,
        };
        if (ns == ulong.MaxValue) return -Errno.EINVAL;
        var raw = new byte[144];
        PutTimeval(raw, ns);
        if (who != RusageChildren)
        {
            long resident = 0;
            var space = c.Process.AddressSpace;
            foreach (var v in space.Vmas)
                for (ulong va = v.Start; va < v.End; va += Memory.AddressSpace.PageSize)
                    if (space.PageTable.GetLeaf(va) != 0) resident++;
            BitConverter.TryWriteBytes(raw.AsSpan(32), resident * 4);
        }
        return await c.User.CopyToUser(c.Arg(1), raw, 0, raw.Length) ? 0 : -Errno.EFAULT;
    }

    /// <summary>times(buf): clock ticks (100 a second) of user time, and the ticks since boot.</summary>
    private static async ValueTask<long> Times(SyscallContext c)
    {
        const ulong NsPerTick = 1_000_000_000 / TicksPerSecond;
        if (c.Arg(0) != 0)
        {
            var raw = new byte[32];
            BitConverter.TryWriteBytes(raw, (long)(c.Process.UserNs / NsPerTick));
            BitConverter.TryWriteBytes(raw.AsSpan(16), (long)(c.Process.ChildrenUserNs / NsPerTick));
            if (!await c.User.CopyToUser(c.Arg(0), raw, 0, raw.Length)) return -Errno.EFAULT;
        }
        return (long)(c.Kernel.NowNs / NsPerTick);
    }

    /// <summary>Any mask naming at least one hart is accepted (the scheduler places threads itself).</summary>
    private static async ValueTask<long> SchedSetaffinity(SyscallContext c)
    {
        int size = (int)Math.Min(c.Arg(1), 128);
        if (size <= 0) return -Errno.EINVAL;
        var mask = new byte[size];
        if (!await c.User.CopyFromUser(c.Arg(2), mask, 0, size)) return -Errno.EFAULT;
        for (int h = 0; h < c.Kernel.Options.Harts && h / 8 < size; h++)
            if ((mask[h / 8] & (1 << (h % 8))) != 0) return 0;
        return -Errno.EINVAL;
    }
}
