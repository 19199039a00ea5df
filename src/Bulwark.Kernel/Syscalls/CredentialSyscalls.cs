namespace Bulwark.Kernel.Syscalls;

/// <summary>Changing user and group ids. A guest process has one user id (real, effective and saved all equal:
/// <see cref="Processes.Process.Uid"/>, <see cref="InfoSyscalls.Uid"/> unless setuid changed it) and the one group
/// <see cref="InfoSyscalls.Gid"/>, so, as Linux rules for a process without CAP_SETUID/CAP_SETGID, it may "change" an
/// id only to the value it has (or leave it with -1); anything else is EPERM. Programs such as busybox drop
/// privileges this way at start-up. setuid alone is the password lab's (see InfoSyscalls).</summary>
public static class CredentialSyscalls
{
    public static void Register(SyscallTable t)
    {
        t.Add(143, "setregid", c => Done(Allowed(c, InfoSyscalls.Gid, 2)));
        t.Add(144, "setgid", c => Done(Allowed(c, InfoSyscalls.Gid, 1)));
        // setuid itself is the password lab's (InfoSyscalls): any process may become any user there.
        t.Add(145, "setreuid", c => Done(Allowed(c, (int)c.Process.Uid, 2)));
        t.Add(147, "setresuid", c => Done(Allowed(c, (int)c.Process.Uid, 3)));
        t.Add(148, "getresuid", c => GetRes(c, (int)c.Process.Uid));
        t.Add(149, "setresgid", c => Done(Allowed(c, InfoSyscalls.Gid, 3)));
        t.Add(150, "getresgid", c => GetRes(c, InfoSyscalls.Gid));
        // setfsuid/setfsgid answer with the previous id whatever happens.
        t.Add(151, "setfsuid", c => Done(c.Process.Uid));
        t.Add(152, "setfsgid", c => Done(InfoSyscalls.Gid));
        t.Add(158, "getgroups", Getgroups);
        t.Add(159, "setgroups", c => Done(-Errno.EPERM));
    }

    private static ValueTask<long> Done(long result) => ValueTask.FromResult(result);

    /// <summary>0 if each of the first <paramref name="count"/> arguments is -1 or <paramref name="id"/>, else -EPERM.</summary>
    private static long Allowed(SyscallContext c, int id, int count)
    {
        for (int i = 0; i < count; i++)
            if (c.IntArg(i) != -1 && c.IntArg(i) != id) return -Errno.EPERM;
        // setuid and setgid take no -1: it is an id like any other there.
        return count == 1 && c.IntArg(0) == -1 ? -Errno.EINVAL : 0;
    }

    private static async ValueTask<long> GetRes(SyscallContext c, int id)
    {
        for (int i = 0; i < 3; i++)
            if (!await c.User.PutUser(c.Arg(i), id)) return -Errno.EFAULT;
        return 0;
    }

    /// <summary>The user's one supplementary group, its own; with a size of 0, only how many there are.</summary>
    private static async ValueTask<long> Getgroups(SyscallContext c)
    {
        int size = c.IntArg(0);
        if (size < 0) return -Errno.EINVAL;
        if (size == 0) return 1;
        return await c.User.PutUser(c.Arg(1), InfoSyscalls.Gid) ? 1 : -Errno.EFAULT;
    }
}
