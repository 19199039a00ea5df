using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_PERF_ATTR, request 8: a port of perf_copy_attr (perf_event_open) as Deadline found it.
/// arg: struct perf_event_attr, 112 bytes (PERF_ATTR_SIZE_VER5): u32 type (at 0); u32 size (at 4);
/// u64 config, sample_period, sample_type, read_format, flags; u32 wakeup_events, bp_type; u64 bp_addr
/// (VER0 ends at 64); u64 bp_len, branch_sample_type, sample_regs_user; u32 sample_stack_user;
/// s32 clockid; u64 sample_regs_intr; u32 aux_watermark; u16 sample_max_stack; u16 __reserved_2 (at 110).
/// size 0 means VER0 (64); otherwise 64 &lt;= size &lt;= 4096, and the bytes past 112 must be 0.
/// Errors: -EFAULT; -E2BIG for a bad size (and, as in Linux, 112 is written back to size);
/// -EINVAL (__reserved_2 not 0); -ENOENT (type 6 or above).</summary>
public sealed class PerfAttrHandler : IDoubleFetchHandler
{
    private const int AttrSize = 112, Ver0 = 64, PageSize = 4096;

    public uint Request => 8;
    public string Name => "DFB_PERF_ATTR";
    public string Origin => "perf_copy_attr size double fetch (Linux kernel/events/core.c, found by Deadline, S&P 2018)";
    public string Pattern =>
        "F1 get_user(size) is checked (VER0 <= size <= PAGE_SIZE, unknown tail bytes zero); F2 " +
        "copy_from_user(attr, uattr, size) overwrites attr->size with an unchecked value. Modelled consequence: " +
        "a later consumer trusts attr->size >= VER0 and copies the fields past VER0 " +
        "(min(attr->size, 112) - 64 bytes) into the event; a small F2 size underflows that length: an " +
        "out-of-bounds read of the kernel attr.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        if (await c.User.GetUser<uint>(arg + 4) is not { } size) return -Errno.EFAULT;
        if (size > PageSize) return await TooBig(c, arg);
        if (size == 0) size = Ver0;
        if (size < Ver0) return await TooBig(c, arg);
        if (size > AttrSize)
        {
            for (ulong address = arg + AttrSize; address < arg + size; address++)
            {
                if (await c.User.GetUser<byte>(address) is not { } value) return -Errno.EFAULT;
                if (value != 0) return await TooBig(c, arg);
            }
            size = AttrSize;
        }
        var bytes = new byte[size];
        if (!await c.User.CopyFromUser(arg, bytes, 0, (int)size)) return -Errno.EFAULT;
        var attr = heap.Allocate(AttrSize, "struct perf_event_attr (kernel copy)");
        attr.Write(0, bytes);
        if (BitConverter.ToUInt16(attr.Read(110, 2)) != 0) return -Errno.EINVAL;
        if (attr.ReadUInt32(0) >= 6) return -Errno.ENOENT;

        // The modelled consumer: attr->size (0 meaning VER0) is trusted to be at least VER0.
        uint claimed = attr.ReadUInt32(4);
        if (claimed == 0) claimed = Ver0;
        uint extension = unchecked(Math.Min(claimed, (uint)AttrSize) - Ver0);
        var event_ = heap.Allocate(AttrSize - Ver0, "event attr extension (fields past VER0)");
        event_.Write(0, attr.Read(Ver0, extension));
        return 0;
    }

    private static async ValueTask<long> TooBig(SyscallContext c, ulong arg)
    {
        await c.User.PutUser(arg + 4, (uint)AttrSize);
        return -Errno.E2BIG;
    }
}
