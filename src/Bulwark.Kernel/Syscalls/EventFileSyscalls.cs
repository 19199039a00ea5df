using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Files that are events: eventfd2 and timerfd_create/settime/gettime (virtual time).</summary>
public static class EventFileSyscalls
{
    private const int EfdSemaphore = 1, TfdTimerAbstime = 1, TfdTimerCancelOnSet = 2;
    private const int ClockRealtime = 0, ClockMonotonic = 1, ClockBoottime = 7, ClockRealtimeAlarm = 8, ClockBoottimeAlarm = 9;

    public static void Register(SyscallTable t)
    {
        t.Add(19, "eventfd2", Eventfd2);
        t.Add(85, "timerfd_create", TimerfdCreate);
        t.Add(86, "timerfd_settime", TimerfdSettime);
        t.Add(87, "timerfd_gettime", TimerfdGettime);
    }

    private static ValueTask<long> Eventfd2(SyscallContext c)
    {
        int flags = c.IntArg(1);
        if ((flags & ~(OpenFile.OCloexec | OpenFile.ONonBlock | EfdSemaphore)) != 0) return ValueTask.FromResult((long)-Errno.EINVAL);
        var file = new EventFd((uint)c.Arg(0), (flags & EfdSemaphore) != 0) { StatusFlags = OpenFile.ORdWr | (flags & OpenFile.ONonBlock) };
        return ValueTask.FromResult((long)c.Process.Files.Add(file, (flags & OpenFile.OCloexec) != 0));
    }

    private static ValueTask<long> TimerfdCreate(SyscallContext c)
    {
        int clock = c.IntArg(0), flags = c.IntArg(1);
        if (clock is not (ClockRealtime or ClockMonotonic or ClockBoottime or ClockRealtimeAlarm or ClockBoottimeAlarm)
            || (flags & ~(OpenFile.OCloexec | OpenFile.ONonBlock)) != 0)
            return ValueTask.FromResult((long)-Errno.EINVAL);
        var file = new TimerFd(clock is ClockRealtime or ClockRealtimeAlarm) { StatusFlags = OpenFile.ORdWr | (flags & OpenFile.ONonBlock) };
        return ValueTask.FromResult((long)c.Process.Files.Add(file, (flags & OpenFile.OCloexec) != 0));
    }

    /// <summary>struct itimerspec: it_interval then it_value.</summary>
    private static async ValueTask<bool> WriteItimerspec(SyscallContext c, ulong address, ulong interval, ulong value)
    {
        var raw = new byte[32];
        BitConverter.TryWriteBytes(raw, (long)(interval / 1_000_000_000));
        BitConverter.TryWriteBytes(raw.AsSpan(8), (long)(interval % 1_000_000_000));
        BitConverter.TryWriteBytes(raw.AsSpan(16), (long)(value / 1_000_000_000));
        BitConverter.TryWriteBytes(raw.AsSpan(24), (long)(value % 1_000_000_000));
        return await c.User.CopyToUser(address, raw, 0, 32);
    }

    private static async ValueTask<long> TimerfdSettime(SyscallContext c)
    {
        int flags = c.IntArg(1);
        if ((flags & ~(TfdTimerAbstime | TfdTimerCancelOnSet)) != 0) return -Errno.EINVAL;
        var (ok, interval) = await TimeSyscalls.ReadTimespec(c, c.Arg(2));
        if (!ok) return -Errno.EFAULT;
        var (ok2, value) = await TimeSyscalls.ReadTimespec(c, c.Arg(2) + 16);
        if (!ok2) return -Errno.EFAULT;
        if (interval < 0 || value < 0) return -Errno.EINVAL;
        if (c.Process.Files.Get(c.IntArg(0)) is not { } file) return -Errno.EBADF;
        if (file is not TimerFd timer) return -Errno.EINVAL;
        var kernel = c.Kernel;
        var (oldValue, oldInterval) = timer.Get(kernel.NowNs);
        ulong first = value == 0 ? ulong.MaxValue
            : (flags & TfdTimerAbstime) != 0 ? TimeSyscalls.ToMonotonic(kernel, (ulong)value, timer.Realtime)
            : kernel.NowNs + (ulong)value;
        timer.Set(kernel, first, (ulong)interval);
        if (c.Arg(3) != 0 && !await WriteItimerspec(c, c.Arg(3), oldInterval, oldValue)) return -Errno.EFAULT;
        return 0;
    }

    private static async ValueTask<long> TimerfdGettime(SyscallContext c)
    {
        if (c.Process.Files.Get(c.IntArg(0)) is not { } file) return -Errno.EBADF;
        if (file is not TimerFd timer) return -Errno.EINVAL;
        var (value, interval) = timer.Get(c.Kernel.NowNs);
        return await WriteItimerspec(c, c.Arg(1), interval, value) ? 0 : -Errno.EFAULT;
    }
}
