using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Syscalls;

/// <summary>What the calls that wait for files or signals share: the temporary signal mask they may
/// wait with (restored on return unless a signal interrupted the call, in which case the handler's frame
/// saves the old mask and sigreturn restores it), timeouts in virtual time, and the wait loop.</summary>
public static class WaitingCalls
{
    public const int SigsetSize = 8;
    private const ulong Unblockable = (1UL << (Signal.SIGKILL - 1)) | (1UL << (Signal.SIGSTOP - 1));

    /// <summary>Calls that end with EINTR after a handler even with SA_RESTART (Linux: ERESTARTNOHAND or
    /// a sleep): nanosleep, clock_nanosleep, ppoll, pselect6, epoll_pwait(2), rt_sigsuspend, rt_sigtimedwait.</summary>
    public static bool NeverRestart(int number) => number is 101 or 115 or 72 or 73 or 22 or 441 or 133 or 137;

    /// <summary>Installs the mask at <paramref name="address"/> (none if 0) for the rest of the call.</summary>
    public static async ValueTask<long> InstallMask(SyscallContext c, ulong address, ulong size)
    {
        if (address == 0) return 0;
        if (size != SigsetSize) return -Errno.EINVAL;
        if (await c.User.GetUser<ulong>(address) is not { } mask) return -Errno.EFAULT;
        c.Thread.SavedSignalMask ??= c.Thread.SignalMask;
        c.Thread.SignalMask = mask & ~Unblockable;
        return 0;
    }

    /// <summary>Ends the call's temporary mask now unless it was interrupted (then the return path does).</summary>
    public static long Finish(GuestThread thread, long result)
    {
        if (result != -Errno.EINTR && thread.SavedSignalMask is { } saved)
        {
            thread.SignalMask = saved;
            thread.SavedSignalMask = null;
        }
        return result;
    }

    /// <summary>Reads a relative timespec into an absolute virtual deadline: ulong.MaxValue for no
    /// timeout, or -EFAULT / -EINVAL.</summary>
    public static async ValueTask<(long Error, ulong Deadline)> Deadline(SyscallContext c, ulong timespec)
    {
        if (timespec == 0) return (0, ulong.MaxValue);
        var (ok, ns) = await TimeSyscalls.ReadTimespec(c, timespec);
        if (!ok) return (-Errno.EFAULT, 0);
        if (ns < 0) return (-Errno.EINVAL, 0);
        ulong now = c.Kernel.NowNs;
        return (0, (ulong)ns >= ulong.MaxValue - now ? ulong.MaxValue - 1 : now + (ulong)ns);
    }

    /// <summary>Linux writes the time left back into the timespec of ppoll and pselect6.</summary>
    public static async ValueTask WriteRemaining(SyscallContext c, ulong timespec, ulong deadline)
    {
        if (timespec == 0) return;
        ulong now = c.Kernel.NowNs;
        ulong left = deadline > now ? deadline - now : 0;
        var raw = new byte[16];
        BitConverter.TryWriteBytes(raw, (long)(left / 1_000_000_000));
        BitConverter.TryWriteBytes(raw.AsSpan(8), (long)(left % 1_000_000_000));
        await c.User.CopyToUser(timespec, raw, 0, 16);
    }

    /// <summary>Scans until something is ready, the deadline passes or a signal arrives: the count, 0 or -EINTR.
    /// <paramref name="scan"/> returns how many are ready and when a timer may make one ready.</summary>
    public static async ValueTask<long> Wait(SyscallContext c, ulong deadline, bool onFiles, Func<(int Ready, ulong WakeAt)> scan)
    {
        var kernel = c.Kernel;
        while (true)
        {
            var (ready, wakeAt) = scan();
            if (ready != 0) return ready;
            if (kernel.HasDeliverableSignal(c.Thread)) return -Errno.EINTR;
            if (deadline <= kernel.NowNs) return 0;
            if (wakeAt <= kernel.NowNs) wakeAt = ulong.MaxValue;
            var reason = await kernel.Block(c.Thread, onFiles ? kernel.ReadinessWaiters : null, Math.Min(deadline, wakeAt));
            if (reason == WakeReason.Interrupted) return -Errno.EINTR;
        }
    }
}
