using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Process groups and sessions (setpgid, getpgid, setsid, getsid) and kill of a group or of everyone:
/// shells put pipelines in groups, and a group is how a whole tree of processes is signalled at once.</summary>
public static class ProcessGroupSyscalls
{
    public static void Register(SyscallTable t)
    {
        t.Add(154, "setpgid", Setpgid);
        t.Add(155, "getpgid", c => ValueTask.FromResult(Target(c, c.IntArg(0)) is { } p ? p.Pgid : (long)-Errno.ESRCH));
        t.Add(156, "getsid", c => ValueTask.FromResult(Target(c, c.IntArg(0)) is { } p ? p.Sid : (long)-Errno.ESRCH));
        t.Add(157, "setsid", Setsid);
    }

    private static Process? Target(SyscallContext c, int pid) =>
        pid == 0 ? c.Process : c.Kernel.FindProcess(pid) is { Exited: false } p ? p : null;

    /// <summary>setpgid(pid, pgid): the caller or one of its children joins or founds a group of its session.</summary>
    private static ValueTask<long> Setpgid(SyscallContext c)
    {
        int pid = c.IntArg(0), pgid = c.IntArg(1);
        if (pgid < 0) return ValueTask.FromResult((long)-Errno.EINVAL);
        var target = pid == 0 || pid == c.Process.Pid ? c.Process : c.Process.Children.FirstOrDefault(p => p.Pid == pid && !p.Exited);
        if (target == null) return ValueTask.FromResult((long)-Errno.ESRCH);
        if (pgid == 0) pgid = target.Pid;
        if (target.Sid == target.Pid || target.Sid != c.Process.Sid) return ValueTask.FromResult((long)-Errno.EPERM);
        // A group other than its own must already exist in the same session.
        if (pgid != target.Pid && !c.Kernel.Processes.Any(p => !p.Exited && p.Pgid == pgid && p.Sid == c.Process.Sid))
            return ValueTask.FromResult((long)-Errno.EPERM);
        target.Pgid = pgid;
        return ValueTask.FromResult(0L);
    }

    /// <summary>setsid: a new session and group led by the caller, unless it leads a group already.</summary>
    private static ValueTask<long> Setsid(SyscallContext c)
    {
        var self = c.Process;
        if (c.Kernel.Processes.Any(p => !p.Exited && p.Pgid == self.Pid)) return ValueTask.FromResult((long)-Errno.EPERM);
        self.Sid = self.Pgid = self.Pid;
        return ValueTask.FromResult((long)self.Pid);
    }

    /// <summary>kill with pid 0 (the caller's group), -1 (every process but the first and the caller) or -pgid.
    /// ESRCH when no process matched.</summary>
    public static long KillMany(SyscallContext c, int pid, int signal)
    {
        var kernel = c.Kernel;
        int group = pid == 0 ? c.Process.Pgid : -pid;
        var targets = kernel.Processes.Where(p => !p.Exited && (pid == -1
            ? p != c.Process && p != kernel.InitProcess
            : p.Pgid == group)).ToList();
        if (targets.Count == 0) return -Errno.ESRCH;
        if (signal != 0)
            foreach (var p in targets) kernel.SendSignal(p, signal, KernelCore.SiUser);
        return 0;
    }
}
