using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Machine.Cpu.Passwords;

namespace Bulwark.Kernel.Syscalls;

/// <summary>The shared part's segments (Protections/Passwords), in Bulwark's private range 4000..4095
/// (Linux's numbers end far below it); guest/include/bulwark/pwd.h wraps them.</summary>
public static class SegmentSyscalls
{
    public const int First = 4000, Last = 4095;
    public const int Mode = 4000, Create = 4001, Grant = 4002, Attach = 4003, Revoke = 4004, Destroy = 4005,
        Get = 4006, Report = 4007, PageIdMap = 4008;

    public static void Register(SyscallTable t)
    {
        t.Add(Mode, "pwd_mode", c => Done((long)c.Kernel.Shared.Mode));
        t.Add(Create, "pwd_segment_create", SegmentCreate);
        t.Add(Grant, "pwd_segment_grant", c => Done(c.Kernel.Shared.Grant(c.Process, c.IntArg(0), c.IntArg(1), (Rights)c.IntArg(2))));
        t.Add(Attach, "pwd_segment_attach", SegmentAttach);
        t.Add(Revoke, "pwd_segment_revoke", c => Done(c.Kernel.Shared.Revoke(c.Process, c.IntArg(0), c.IntArg(1))));
        t.Add(Destroy, "pwd_segment_destroy", c => Done(c.Kernel.Shared.Destroy(c.Process, c.IntArg(0))));
        t.Add(Get, "pwd_get", PwdGet);
        t.Add(Report, "pwd_report", c => Done(c.Kernel.Shared.Report(c.Thread, c.Arg(0), c.Arg(1), c.IntArg(2))));
        t.Add(PageIdMap, "pwd_page_id_map", c => Done(c.Kernel.Shared.Mode == SharedProtectionMode.Fallback ? (long)SharedLayout.PageIdMapBase : -Errno.ENOSYS));
    }

    private static ValueTask<long> Done(long v) => ValueTask.FromResult(v);

    private static async ValueTask<long> SegmentCreate(SyscallContext c)
    {
        long id = c.Kernel.Shared.Create(c.Process, c.Arg(0), (Rights)c.IntArg(1), out ulong address);
        if (id < 0) return id;
        if (c.Arg(2) != 0 && !await c.User.PutUser(c.Arg(2), address))
        {
            c.Kernel.Shared.Destroy(c.Process, (int)id);
            return -Errno.EFAULT;
        }
        return id;
    }

    private static async ValueTask<long> SegmentAttach(SyscallContext c)
    {
        long result = c.Kernel.Shared.Attach(c.Process, c.IntArg(0), out ulong address);
        if (result < 0) return result;
        return c.Arg(1) == 0 || await c.User.PutUser(c.Arg(1), address) ? 0 : -Errno.EFAULT;
    }

    private static async ValueTask<long> PwdGet(SyscallContext c)
    {
        long result = c.Kernel.Shared.Get(c.Process, c.IntArg(0), (Rights)c.IntArg(1), out Password128 value);
        if (result < 0) return result;
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes, value.Lo);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), value.Hi);
        return await c.User.CopyToUser(c.Arg(2), bytes, 0, 16) ? 0 : -Errno.EFAULT;
    }
}
