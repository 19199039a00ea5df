using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Clocks and sleeps, all in virtual time. The realtime clock starts at a fixed epoch so
/// that runs repeat.</summary>
public static class TimeSyscalls
{
    /// <summary>2024-01-01T00:00:00Z.</summary>
    public const ulong RealtimeEpochNs = 1_704_067_200UL * 1_000_000_000UL;
    private const int ClockRealtime = 0, ClockRealtimeCoarse = 5, ClockTai = 11, TimerAbstime = 1;

    public static void Register(SyscallTable t)
    {
        t.Add(101, "nanosleep", Nanosleep);
        t.Add(113, "clock_gettime", ClockGettime);
        t.Add(114, "clock_getres", ClockGetres);
        t.Add(115, "clock_nanosleep", ClockNanosleep);
        t.Add(169, "gettimeofday", Gettimeofday);
    }

    private static bool IsRealtime(int clock) => clock is ClockRealtime or ClockRealtimeCoarse or ClockTai;

    private static ulong Now(KernelCore k, int clock) => k.NowNs + (IsRealtime(clock) ? RealtimeEpochNs : 0);

    public static ulong ToMonotonic(KernelCore k, ulong absoluteNs, bool realtime) =>
        realtime ? (absoluteNs > RealtimeEpochNs ? absoluteNs - RealtimeEpochNs : 0) : absoluteNs;

    public static async ValueTask<(bool Ok, long Ns)> ReadTimespec(SyscallContext c, ulong address)
    {
        var raw = new byte[16];
        if (!await c.User.CopyFromUser(address, raw, 0, 16)) return (false, 0);
        long sec = BitConverter.ToInt64(raw, 0), nsec = BitConverter.ToInt64(raw, 8);
        if (sec < 0 || nsec is < 0 or >= 1_000_000_000) return (true, -1);
        return (true, sec >= long.MaxValue / 1_000_000_000 ? long.MaxValue : sec * 1_000_000_000 + nsec);
    }

    private static async ValueTask<bool> WriteTimespec(SyscallContext c, ulong address, ulong ns)
    {
        var raw = new byte[16];
        BitConverter.TryWriteBytes(raw, (long)(ns / 1_000_000_000));
        BitConverter.TryWriteBytes(raw.AsSpan(8), (long)(ns % 1_000_000_000));
        return await c.User.CopyToUser(address, raw, 0, 16);
    }

    private static async ValueTask<long> ClockGettime(SyscallContext c)
    {
        int clock = c.IntArg(0);
        if (clock is < 0 or > 11) return -Errno.EINVAL;
        return await WriteTimespec(c, c.Arg(1), Now(c.Kernel, clock)) ? 0 : -Errno.EFAULT;
    }

    private static async ValueTask<long> ClockGetres(SyscallContext c)
    {
        if (c.IntArg(0) is < 0 or > 11) return -Errno.EINVAL;
        if (c.Arg(1) == 0) return 0;
        return await WriteTimespec(c, c.Arg(1), 1) ? 0 : -Errno.EFAULT;
    }

    private static async ValueTask<long> Gettimeofday(SyscallContext c)
    {
        if (c.Arg(0) == 0) return 0;
        ulong ns = Now(c.Kernel, ClockRealtime);
        var raw = new byte[16];
        BitConverter.TryWriteBytes(raw, (long)(ns / 1_000_000_000));
        BitConverter.TryWriteBytes(raw.AsSpan(8), (long)(ns % 1_000_000_000 / 1000));
        return await c.User.CopyToUser(c.Arg(0), raw, 0, 16) ? 0 : -Errno.EFAULT;
    }

    private static ValueTask<long> Nanosleep(SyscallContext c) => Sleep(c, c.Arg(0), c.Arg(1), absolute: false, realtime: false);

    private static ValueTask<long> ClockNanosleep(SyscallContext c)
    {
        int clock = c.IntArg(0);
        if (clock is < 0 or > 11) return ValueTask.FromResult((long)-Errno.EINVAL);
        return Sleep(c, c.Arg(2), c.Arg(3), (c.IntArg(1) & TimerAbstime) != 0, IsRealtime(clock));
    }

    private static async ValueTask<long> Sleep(SyscallContext c, ulong request, ulong remain, bool absolute, bool realtime)
    {
        var (ok, ns) = await ReadTimespec(c, request);
        if (!ok) return -Errno.EFAULT;
        if (ns < 0) return -Errno.EINVAL;
        ulong deadline = absolute ? ToMonotonic(c.Kernel, (ulong)ns, realtime) : c.Kernel.NowNs + (ulong)ns;
        var reason = await c.Kernel.Block(c.Thread, null, deadline);
        if (reason != WakeReason.Interrupted) return 0;
        if (!absolute && remain != 0)
            await WriteTimespec(c, remain, deadline > c.Kernel.NowNs ? deadline - c.Kernel.NowNs : 0);
        return -Errno.EINTR;
    }
}
