using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_MIC_VOP_ADD, request 6: a port of vop_ioctl(MIC_VIRTIO_ADD_DEVICE) and
/// vop_virtio_add_device before the CVE-2016-5728 fix. arg: struct mic_device_desc { s8 type; u8 num_vq;
/// u8 feature_len; u8 config_len; u8 status; u8 pad[3]; } (8 bytes), then num_vq struct mic_vqconfig
/// { u64 address (out); u64 used_address; u16 num; u16 pad[3]; } (24 bytes each), then 2*feature_len
/// feature bytes and config_len config bytes; the whole descriptor, 8-aligned, is at most 256 bytes
/// (MIC_MAX_DESC_BLK_SIZE) and num_vq at most 4 (MIC_MAX_VRINGS). Each vring gets an address, written
/// into its vqconfig; the updated descriptor is copied back (a lab addition, so callers can see it).
/// Errors: -EFAULT, -EINVAL (too large, type &lt;= 0, a num that is not a power of two in 1..128).</summary>
public sealed class MicVopHandler : IDoubleFetchHandler
{
    private const int Desc = 8, VqConfig = 24, MaxVrings = 4, MaxDescBlock = 256, MaxEntries = 128;

    public uint Request => 6;
    public string Name => "DFB_MIC_VOP_ADD";
    public string Origin => "CVE-2016-5728 (Linux drivers/misc/mic/vop/vop_vringh.c vop_ioctl MIC_VIRTIO_ADD_DEVICE)";
    public string Pattern =>
        "F1 copies the mic_device_desc header and checks the descriptor size and num_vq <= MIC_MAX_VRINGS; " +
        "memdup_user re-copies mic_desc_size(F1) bytes, and vop_virtio_add_device loops over F2's num_vq: " +
        "vqconfig[i] is read and written past the copied descriptor (and vvr[i] past its 4 entries).";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        var dd = new byte[Desc];
        if (!await c.User.CopyFromUser(arg, dd, 0, Desc)) return -Errno.EFAULT;
        int size = DescSize(dd[1], dd[2], dd[3]);
        if (((size + 7) & ~7) > MaxDescBlock || dd[1] > MaxVrings) return -Errno.EINVAL;
        var bytes = new byte[size];
        if (!await c.User.CopyFromUser(arg, bytes, 0, size)) return -Errno.EFAULT;
        var config = heap.Allocate(size, "mic_device_desc copy (memdup_user)");
        config.Write(0, bytes);

        // vop_virtio_add_device(vdev, dd_config)
        if ((sbyte)config.Read(0, 1)[0] <= 0) return -Errno.EINVAL;
        int numVq = config.Read(1, 1)[0];
        var vrings = heap.Allocate(MaxVrings * 8, "vdev->vvr[MIC_MAX_VRINGS]");
        for (int i = 0; i < numVq; i++)
        {
            int vq = Desc + i * VqConfig;
            int num = BitConverter.ToUInt16(config.Read(vq + 16, 2));
            if (num == 0 || num > MaxEntries || (num & (num - 1)) != 0) return -Errno.EINVAL;
            ulong address = 0x8000_0000UL + (ulong)i * 0x10000;
            vrings.WriteUInt64(i * 8, address);
            config.WriteUInt64(vq, address);
        }
        var updated = config.Read(0, size);
        return await c.User.CopyToUser(arg, updated, 0, size) ? 0 : -Errno.EFAULT;
    }

    private static int DescSize(int numVq, int featureLength, int configLength) =>
        Desc + numVq * VqConfig + featureLength * 2 + configLength;
}
