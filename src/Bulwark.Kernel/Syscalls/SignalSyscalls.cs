using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Syscalls;

/// <summary>rt_sigaction, rt_sigprocmask, rt_sigreturn, kill, tkill, tgkill.</summary>
public static class SignalSyscalls
{
    private const ulong Unblockable = (1UL << (Signal.SIGKILL - 1)) | (1UL << (Signal.SIGSTOP - 1));

    public static void Register(SyscallTable t)
    {
        t.Add(129, "kill", Kill);
        t.Add(130, "tkill", Tkill);
        t.Add(131, "tgkill", Tgkill);
        t.Add(134, "rt_sigaction", RtSigaction);
        t.Add(135, "rt_sigprocmask", RtSigprocmask);
        t.Add(136, "rt_sigpending", RtSigpending);
        t.Add(139, "rt_sigreturn", RtSigreturn);
    }

    private static async ValueTask<long> RtSigaction(SyscallContext c)
    {
        int signal = c.IntArg(0);
        ulong act = c.Arg(1), oldact = c.Arg(2);
        if (signal is < 1 or > SignalActions.Count || c.Arg(3) != 8) return -Errno.EINVAL;
        if (act != 0 && signal is Signal.SIGKILL or Signal.SIGSTOP) return -Errno.EINVAL;
        var current = c.Process.SignalActions[signal];
        if (act != 0)
        {
            var raw = new byte[24];
            if (!await c.User.CopyFromUser(act, raw, 0, 24)) return -Errno.EFAULT;
            c.Process.SignalActions[signal] = new SignalAction(BitConverter.ToUInt64(raw, 0), BitConverter.ToUInt64(raw, 8), BitConverter.ToUInt64(raw, 16) & ~Unblockable);
        }
        if (oldact != 0)
        {
            var raw = new byte[24];
            BitConverter.TryWriteBytes(raw, current.Handler);
            BitConverter.TryWriteBytes(raw.AsSpan(8), current.Flags);
            BitConverter.TryWriteBytes(raw.AsSpan(16), current.Mask);
            if (!await c.User.CopyToUser(oldact, raw, 0, 24)) return -Errno.EFAULT;
        }
        return 0;
    }

    private static async ValueTask<long> RtSigprocmask(SyscallContext c)
    {
        const int Block = 0, Unblock = 1, SetMask = 2;
        int how = c.IntArg(0);
        ulong set = c.Arg(1), oldset = c.Arg(2);
        if (c.Arg(3) != 8) return -Errno.EINVAL;
        ulong old = c.Thread.SignalMask;
        if (set != 0)
        {
            if (await c.User.GetUser<ulong>(set) is not { } mask) return -Errno.EFAULT;
            mask &= ~Unblockable;
            switch (how)
            {
                case Block: c.Thread.SignalMask |= mask; break;
                case Unblock: c.Thread.SignalMask &= ~mask; break;
                case SetMask: c.Thread.SignalMask = mask; break;
                default: return -Errno.EINVAL;
            }
        }
        if (oldset != 0 && !await c.User.PutUser(oldset, old)) return -Errno.EFAULT;
        return 0;
    }

    private static async ValueTask<long> RtSigpending(SyscallContext c)
    {
        if (c.Arg(1) != 8) return -Errno.EINVAL;
        return await c.User.PutUser(c.Arg(0), c.Thread.PendingSignals) ? 0 : -Errno.EFAULT;
    }

    private static async ValueTask<long> RtSigreturn(SyscallContext c)
    {
        if (!await SignalFrame.Return(c))
        {
            c.Kernel.KillProcess(c.Process, Signal.SIGSEGV, $"SIGSEGV (bad signal frame at sp=0x{c.Thread.Registers.X[2]:x})");
        }
        return SyscallResult.NoReturnValue;
    }

    private static ValueTask<long> Kill(SyscallContext c)
    {
        int pid = c.IntArg(0), signal = c.IntArg(1);
        if (signal is < 0 or > SignalActions.Count) return ValueTask.FromResult((long)-Errno.EINVAL);
        if (pid <= 0) return ValueTask.FromResult(ProcessGroupSyscalls.KillMany(c, pid, signal));
        var target = pid == c.Process.Pid ? c.Process : c.Kernel.FindThread(pid)?.Process;
        if (target == null || target.Exited || (pid > 0 && target.Pid != pid)) return ValueTask.FromResult((long)-Errno.ESRCH);
        if (signal != 0) c.Kernel.SendSignal(target, signal, KernelCore.SiUser);
        return ValueTask.FromResult(0L);
    }

    private static ValueTask<long> Tkill(SyscallContext c) => SignalThread(c, -1, c.IntArg(0), c.IntArg(1));

    private static ValueTask<long> Tgkill(SyscallContext c) => SignalThread(c, c.IntArg(0), c.IntArg(1), c.IntArg(2));

    private static ValueTask<long> SignalThread(SyscallContext c, int tgid, int tid, int signal)
    {
        if (signal is < 0 or > SignalActions.Count || tid <= 0) return ValueTask.FromResult((long)-Errno.EINVAL);
        var thread = c.Kernel.FindThread(tid);
        if (thread == null || (tgid > 0 && thread.Process.Pid != tgid)) return ValueTask.FromResult((long)-Errno.ESRCH);
        if (signal != 0) c.Kernel.SendSignal(thread, signal, KernelCore.SiTkill);
        return ValueTask.FromResult(0L);
    }
}
