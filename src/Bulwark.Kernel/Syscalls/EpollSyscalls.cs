using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>epoll_create1, epoll_ctl, epoll_pwait and epoll_pwait2.</summary>
public static class EpollSyscalls
{
    private const int CtlAdd = 1, CtlDel = 2, CtlMod = 3;
    private const int EventSize = 16;

    public static void Register(SyscallTable t)
    {
        t.Add(20, "epoll_create1", EpollCreate1);
        t.Add(21, "epoll_ctl", EpollCtl);
        t.Add(22, "epoll_pwait", EpollPwait);
        t.Add(441, "epoll_pwait2", EpollPwait2);
    }

    private static ValueTask<long> EpollCreate1(SyscallContext c)
    {
        int flags = c.IntArg(0);
        if ((flags & ~OpenFile.OCloexec) != 0) return ValueTask.FromResult((long)-Errno.EINVAL);
        var file = new EpollFile { StatusFlags = OpenFile.ORdWr };
        return ValueTask.FromResult((long)c.Process.Files.Add(file, (flags & OpenFile.OCloexec) != 0));
    }

    private static async ValueTask<long> EpollCtl(SyscallContext c)
    {
        int epfd = c.IntArg(0), op = c.IntArg(1), fd = c.IntArg(2);
        uint events = 0;
        ulong data = 0;
        if (op is CtlAdd or CtlMod)
        {
            var raw = new byte[EventSize];
            if (!await c.User.CopyFromUser(c.Arg(3), raw, 0, EventSize)) return -Errno.EFAULT;
            events = BitConverter.ToUInt32(raw, 0);
            data = BitConverter.ToUInt64(raw, 8);
        }
        var files = c.Process.Files;
        if (files.Get(epfd) is not { } epollFile || files.Get(fd) is not { } target) return -Errno.EBADF;
        if (epollFile is not EpollFile epoll || ReferenceEquals(epoll, target)) return -Errno.EINVAL;
        if (target is RegularFile or DirectoryFile) return -Errno.EPERM;
        bool present = epoll.Contains(fd, target);
        switch (op)
        {
            case CtlAdd:
                if (present) return -Errno.EEXIST;
                epoll.Add(c.Kernel, fd, target, events, data);
                return 0;
            case CtlMod:
                if (!present) return -Errno.ENOENT;
                if ((events & EpollFile.EpollExclusive) != 0) return -Errno.EINVAL;
                epoll.Modify(c.Kernel, fd, target, events, data);
                return 0;
            case CtlDel:
                if (!present) return -Errno.ENOENT;
                epoll.Remove(fd, target);
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>epoll_pwait(epfd, events, maxevents, timeout in ms, sigmask, sigsetsize).</summary>
    private static ValueTask<long> EpollPwait(SyscallContext c)
    {
        int ms = c.IntArg(3);
        ulong deadline = ms < 0 ? ulong.MaxValue : c.Kernel.NowNs + (ulong)ms * 1_000_000;
        return Wait(c, deadline);
    }

    /// <summary>epoll_pwait2: the timeout is a timespec (NULL: none).</summary>
    private static async ValueTask<long> EpollPwait2(SyscallContext c)
    {
        var (error, deadline) = await WaitingCalls.Deadline(c, c.Arg(3));
        return error < 0 ? error : await Wait(c, deadline);
    }

    private static async ValueTask<long> Wait(SyscallContext c, ulong deadline)
    {
        int max = c.IntArg(2);
        if (max <= 0 || max > int.MaxValue / EventSize) return -Errno.EINVAL;
        if (c.Process.Files.Get(c.IntArg(0)) is not { } file) return -Errno.EBADF;
        if (file is not EpollFile epoll) return -Errno.EINVAL;
        long error = await WaitingCalls.InstallMask(c, c.Arg(4), c.Arg(5));
        if (error < 0) return error;
        max = Math.Min(max, 4096);
        var output = new byte[max * EventSize];
        var kernel = c.Kernel;
        long result = await WaitingCalls.Wait(c, deadline, onFiles: true, () => epoll.Collect(kernel, output, max));
        if (result > 0 && !await c.User.CopyToUser(c.Arg(1), output, 0, (int)result * EventSize)) result = -Errno.EFAULT;
        return WaitingCalls.Finish(c.Thread, result);
    }
}
