using Bulwark.Kernel.Processes;
using Bulwark.Machine.Cpu;

namespace Bulwark.Kernel.Syscalls;

/// <summary>clone (threads and fork), exit, exit_group, wait4, set_tid_address, sched_yield.</summary>
public static class ProcessSyscalls
{
    private const ulong CloneVm = 0x100, CloneFs = 0x200, CloneFiles = 0x400, CloneSighand = 0x800, CloneVfork = 0x4000,
        CloneThread = 0x10000, CloneSettls = 0x80000, CloneParentSettid = 0x100000, CloneChildCleartid = 0x200000,
        CloneChildSettid = 0x01000000;
    private const int Wnohang = 1;

    public static void Register(SyscallTable t)
    {
        t.Add(93, "exit", Exit);
        t.Add(94, "exit_group", ExitGroup);
        t.Add(96, "set_tid_address", SetTidAddress);
        t.Add(99, "set_robust_list", SetRobustList);
        t.Add(124, "sched_yield", SchedYield);
        t.Add(220, "clone", Clone);
        t.Add(260, "wait4", Wait4);
    }

    private static ValueTask<long> Exit(SyscallContext c)
    {
        c.Kernel.ExitThread(c.Thread, c.IntArg(0));
        return ValueTask.FromResult(SyscallResult.NoReturnValue);
    }

    private static ValueTask<long> ExitGroup(SyscallContext c)
    {
        int code = c.IntArg(0) & 0xff;
        c.Kernel.ExitProcess(c.Process, code << 8, null, code);
        return ValueTask.FromResult(SyscallResult.NoReturnValue);
    }

    private static ValueTask<long> SetTidAddress(SyscallContext c)
    {
        c.Thread.ClearChildTid = c.Arg(0);
        return ValueTask.FromResult((long)c.Thread.Tid);
    }

    private static ValueTask<long> SetRobustList(SyscallContext c)
    {
        if (c.Arg(1) != 24) return ValueTask.FromResult((long)-Errno.EINVAL);
        c.Thread.RobustList = c.Arg(0);
        return ValueTask.FromResult(0L);
    }

    private static ValueTask<long> SchedYield(SyscallContext c)
    {
        c.Thread.YieldRequested = true;
        return ValueTask.FromResult(0L);
    }

    private static async ValueTask<long> Clone(SyscallContext c)
    {
        ulong flags = c.Arg(0), stack = c.Arg(1), parentTid = c.Arg(2), tls = c.Arg(3), childTid = c.Arg(4);
        var kernel = c.Kernel;
        bool thread = (flags & CloneThread) != 0;
        if (thread && (flags & (CloneVm | CloneSighand)) != (CloneVm | CloneSighand)) return -Errno.EINVAL;
        bool vfork = !thread && (flags & CloneVfork) != 0;
        // CLONE_VM without a thread is accepted only with CLONE_VFORK (vfork, posix_spawn): the child gets a
        // copy, which it may only exec or exit from, while its parent waits.
        if (!thread && (flags & CloneVm) != 0 && !vfork)
            return -Errno.EINVAL;
        // Linux's copy_process: beyond threads-max, or the user's RLIMIT_NPROC (every guest task is the one
        // user's), a new task is refused with EAGAIN.
        if (kernel.TaskCount >= kernel.MaxTasks || (ulong)kernel.TaskCount >= c.Process.Limits[ResourceLimits.Nproc].Cur)
            return -Errno.EAGAIN;

        var registers = new HartState();
        registers.CopyFrom(c.Thread.Registers);
        registers.X[10] = 0;
        registers.Pc += 4;
        if (stack != 0) registers.X[2] = stack;
        if ((flags & CloneSettls) != 0) registers.X[4] = tls;

        int tid = kernel.AllocateId();
        Process process;
        if (thread) process = c.Process;
        else
        {
            // A fork that finds no memory for the child's copy fails with ENOMEM, as on Linux.
            if (c.Process.AddressSpace.TryFork() is not { } space) return -Errno.ENOMEM;
            process = new Process(tid, c.Process, space, c.Process.Files.Fork())
            {
                SignalActions = c.Process.SignalActions.Clone(),
                WorkingDirectory = c.Process.WorkingDirectory,
                Uid = c.Process.Uid,
                Umask = c.Process.Umask,
                Limits = c.Process.Limits.Clone(),
                Pgid = c.Process.Pgid,
                Sid = c.Process.Sid,
                ExePath = c.Process.ExePath,
                Executable = c.Process.Executable,
                Arguments = c.Process.Arguments,
                EnvironmentStrings = c.Process.EnvironmentStrings,
                Comm = c.Process.Comm,
            };
            process.Files.LockOwner = process;
            c.Process.Children.Add(process);
            kernel.Shared.OnFork(c.Process, process);
        }
        // A fork keeps the alternate signal stack (it is in the copied memory); a new thread starts without one.
        var child = new GuestThread(tid, process, registers) { SignalMask = c.Thread.SignalMask, AltStack = thread ? null : c.Thread.AltStack };
        if ((flags & CloneChildCleartid) != 0) child.ClearChildTid = childTid;
        if ((flags & CloneParentSettid) != 0 && !await c.User.PutUser(parentTid, tid)) return -Errno.EFAULT;
        if ((flags & CloneChildSettid) != 0 && !process.AddressSpace.WriteBytes(childTid, BitConverter.GetBytes(tid)))
            return -Errno.EFAULT;
        kernel.AddThread(child);
        if (vfork)
        {
            process.VforkParent = c.Thread;
            // As Linux's wait for a vfork child, only SIGKILL ends this wait early.
            ulong mask = c.Thread.SignalMask;
            c.Thread.SignalMask = ~Signals.Signal.Bit(Signals.Signal.SIGKILL);
            while (process.VforkParent != null && !process.Exited) await kernel.Block(c.Thread, process.VforkWaiters);
            c.Thread.SignalMask = mask;
        }
        return tid;
    }

    private static async ValueTask<long> Wait4(SyscallContext c)
    {
        int pid = c.IntArg(0), options = c.IntArg(2);
        ulong statusAddress = c.Arg(1);
        var self = c.Process;
        while (true)
        {
            var candidates = self.Children.Where(p => pid == -1 || pid == 0 || p.Pid == pid).ToList();
            if (candidates.Count == 0) return -Errno.ECHILD;
            var zombie = candidates.FirstOrDefault(p => p.Exited && !p.Reaped);
            if (zombie != null)
            {
                zombie.Reaped = true;
                c.Kernel.ForgetProcess(zombie);
                self.ChildrenUserNs += zombie.UserNs + zombie.ChildrenUserNs;
                self.Children.Remove(zombie);
                if (statusAddress != 0 && !await c.User.PutUser(statusAddress, zombie.WaitStatus)) return -Errno.EFAULT;
                return zombie.Pid;
            }
            if ((options & Wnohang) != 0) return 0;
            if (await c.Kernel.Block(c.Thread, self.ChildWaiters) == WakeReason.Interrupted) return -Errno.EINTR;
        }
    }
}
