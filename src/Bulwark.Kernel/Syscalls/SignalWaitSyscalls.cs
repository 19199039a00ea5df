using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Waiting for signals: rt_sigsuspend (sigsuspend, and pause through it) and rt_sigtimedwait
/// (sigwait, sigwaitinfo, sigtimedwait).</summary>
public static class SignalWaitSyscalls
{
    private const ulong Unblockable = (1UL << (Signal.SIGKILL - 1)) | (1UL << (Signal.SIGSTOP - 1));

    public static void Register(SyscallTable t)
    {
        t.Add(133, "rt_sigsuspend", RtSigsuspend);
        t.Add(137, "rt_sigtimedwait", RtSigtimedwait);
        t.Add(132, "sigaltstack", Sigaltstack);
    }

    /// <summary>sigaltstack(ss, old_ss) with stack_t { ss_sp; int ss_flags; size_t ss_size } (24 bytes).</summary>
    private static async ValueTask<long> Sigaltstack(SyscallContext c)
    {
        var thread = c.Thread;
        bool onStack = AlternateStack.OnStack(thread);
        AlternateStack? requested = null;
        bool change = c.Arg(0) != 0;
        if (change)
        {
            var raw = new byte[24];
            if (!await c.User.CopyFromUser(c.Arg(0), raw, 0, 24)) return -Errno.EFAULT;
            ulong sp = BitConverter.ToUInt64(raw, 0), size = BitConverter.ToUInt64(raw, 16);
            int flags = BitConverter.ToInt32(raw, 8);
            if (onStack) return -Errno.EPERM;
            int mode = flags & ~AlternateStack.SsAutodisarm;
            if (mode is not (0 or AlternateStack.SsDisable or AlternateStack.SsOnstack)) return -Errno.EINVAL;
            if (mode != AlternateStack.SsDisable)
            {
                if (size < AlternateStack.MinSize) return -Errno.ENOMEM;
                requested = new AlternateStack(sp, size, flags & AlternateStack.SsAutodisarm);
            }
        }
        if (c.Arg(1) != 0)
        {
            var old = new byte[24];
            if (thread.AltStack is { } s)
            {
                BitConverter.TryWriteBytes(old, s.Sp);
                BitConverter.TryWriteBytes(old.AsSpan(8), (onStack ? AlternateStack.SsOnstack : 0) | s.Flags);
                BitConverter.TryWriteBytes(old.AsSpan(16), s.Size);
            }
            else BitConverter.TryWriteBytes(old.AsSpan(8), AlternateStack.SsDisable);
            if (!await c.User.CopyToUser(c.Arg(1), old, 0, 24)) return -Errno.EFAULT;
        }
        if (change) thread.AltStack = requested;
        return 0;
    }

    /// <summary>Waits with the given mask until a signal is delivered; always ends with EINTR, and the
    /// handler's frame saves the mask the thread had before.</summary>
    private static async ValueTask<long> RtSigsuspend(SyscallContext c)
    {
        long error = await WaitingCalls.InstallMask(c, c.Arg(0), c.Arg(1));
        if (error < 0) return error;
        if (c.Arg(0) == 0) return -Errno.EFAULT;
        while (await c.Kernel.Block(c.Thread, null) != WakeReason.Interrupted) { }
        return -Errno.EINTR;
    }

    /// <summary>rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of the set
    /// (usually blocked) without running its handler; EAGAIN when the timeout passes.</summary>
    private static async ValueTask<long> RtSigtimedwait(SyscallContext c)
    {
        if (c.Arg(3) != WaitingCalls.SigsetSize) return -Errno.EINVAL;
        if (await c.User.GetUser<ulong>(c.Arg(0)) is not { } set) return -Errno.EFAULT;
        set &= ~Unblockable;
        var (error, deadline) = await WaitingCalls.Deadline(c, c.Arg(2));
        if (error < 0) return error;
        var thread = c.Thread;
        while (true)
        {
            ulong pending = thread.PendingSignals & set;
            if (pending != 0)
            {
                int signal = System.Numerics.BitOperations.TrailingZeroCount(pending) + 1;
                thread.PendingSignals &= ~Signal.Bit(signal);
                if (c.Arg(1) != 0)
                {
                    var info = new byte[SignalFrame.InfoSize];
                    int code = thread.PendingCodes[signal];
                    BitConverter.TryWriteBytes(info, signal);
                    BitConverter.TryWriteBytes(info.AsSpan(8), code);
                    if (code is KernelCore.SiUser or KernelCore.SiTkill)
                    {
                        BitConverter.TryWriteBytes(info.AsSpan(16), thread.Process.Pid);
                        BitConverter.TryWriteBytes(info.AsSpan(20), InfoSyscalls.Uid);
                    }
                    if (!await c.User.CopyToUser(c.Arg(1), info, 0, info.Length)) return -Errno.EFAULT;
                }
                return signal;
            }
            if (deadline <= c.Kernel.NowNs) return -Errno.EAGAIN;
            ulong mask = thread.SignalMask;
            thread.SignalMask = mask & ~set;
            var reason = await c.Kernel.Block(thread, null, deadline);
            thread.SignalMask = mask;
            if (reason == WakeReason.Interrupted && (thread.PendingSignals & set) == 0) return -Errno.EINTR;
        }
    }
}
