using System.Text;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Identity and system information: ids, uname, limits, affinity, getrandom, rseq.</summary>
public static class InfoSyscalls
{
    public const int Uid = 1000, Gid = 1000;

    public static void Register(SyscallTable t)
    {
        t.Add(123, "sched_getaffinity", SchedGetaffinity);
        t.Add(160, "uname", Uname);
        t.Add(166, "umask", c =>
        {
            uint old = c.Process.Umask;
            c.Process.Umask = (uint)c.Arg(0) & 0x1FF;
            return Done(old);
        });
        t.Add(172, "getpid", c => Done(c.Process.Pid));
        t.Add(173, "getppid", c => Done(c.Process.Parent?.Pid ?? 0));
        t.Add(146, "setuid", Setuid);
        t.Add(174, "getuid", c => Done(c.Process.Uid));
        t.Add(175, "geteuid", c => Done(c.Process.Uid));
        t.Add(176, "getgid", c => Done(Gid));
        t.Add(177, "getegid", c => Done(Gid));
        t.Add(178, "gettid", c => Done(c.Thread.Tid));
        t.Add(278, "getrandom", Getrandom);
        // glibc registers rseq at start-up and carries on without it.
        t.Add(293, "rseq", c => Done(-Errno.ENOSYS));
    }

    private static ValueTask<long> Done(long v) => ValueTask.FromResult(v);

    /// <summary>The lab has no privilege model: any process may become any user, so that attack programs
    /// can run their probers as a user of their own (throttling and blame are per user).</summary>
    private static ValueTask<long> Setuid(SyscallContext c)
    {
        if (c.IntArg(0) < 0) return Done(-Errno.EINVAL);
        c.Process.Uid = (uint)c.IntArg(0);
        return Done(0);
    }

    private static async ValueTask<long> Uname(SyscallContext c)
    {
        var buffer = new byte[65 * 6];
        string[] fields = ["Linux", "bulwark", "6.1.0", "#1 SMP Bulwark", "riscv64", "(none)"];
        for (int i = 0; i < fields.Length; i++) Encoding.ASCII.GetBytes(fields[i]).CopyTo(buffer, i * 65);
        return await c.User.CopyToUser(c.Arg(0), buffer, 0, buffer.Length) ? 0 : -Errno.EFAULT;
    }

    private static async ValueTask<long> SchedGetaffinity(SyscallContext c)
    {
        int size = (int)Math.Min(c.Arg(1), 128);
        if (size < 8) return -Errno.EINVAL;
        var mask = new byte[size];
        for (int h = 0; h < c.Kernel.Options.Harts; h++) mask[h / 8] |= (byte)(1 << (h % 8));
        return await c.User.CopyToUser(c.Arg(2), mask, 0, size) ? size : -Errno.EFAULT;
    }

    private static async ValueTask<long> Getrandom(SyscallContext c)
    {
        int count = (int)Math.Min(c.Arg(1), 1 << 20);
        var bytes = new byte[count];
        c.Kernel.Entropy.Fill(bytes);
        return await c.User.CopyToUser(c.Arg(0), bytes, 0, count) ? count : -Errno.EFAULT;
    }
}
