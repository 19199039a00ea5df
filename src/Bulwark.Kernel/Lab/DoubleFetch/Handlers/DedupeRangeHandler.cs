using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_DEDUPE_RANGE, request 3: a port of ioctl_file_dedupe_range (FIDEDUPERANGE) before the
/// CVE-2016-6516 fix. arg: struct file_dedupe_range { u64 src_offset; u64 src_length; u16 dest_count;
/// u16 reserved1; u32 reserved2; struct file_dedupe_range_info info[dest_count]; } (24-byte header),
/// each info { s64 dest_fd; u64 dest_offset; u64 bytes_deduped (out); s32 status (out); u32 reserved; }
/// (32 bytes). A negative dest_fd gets status -EBADF; otherwise status 0 (FILE_DEDUPE_RANGE_SAME) and
/// bytes_deduped = src_length. Errors: -EFAULT, -ENOMEM (more than 4096 bytes), -EINVAL (reserved
/// fields not 0).</summary>
public sealed class DedupeRangeHandler : IDoubleFetchHandler
{
    private const int Header = 24, Info = 32, PageSize = 4096;

    public uint Request => 3;
    public string Name => "DFB_DEDUPE_RANGE";
    public string Origin => "CVE-2016-6516 (Linux fs/ioctl.c ioctl_file_dedupe_range / vfs_dedupe_file_range)";
    public string Pattern =>
        "F1 get_user(dest_count) sizes the kernel copy (24 + 32*count bytes, checked against PAGE_SIZE); " +
        "memdup_user re-copies the whole request, so F2's dest_count lands in the copy and drives " +
        "vfs_dedupe_file_range's loop over info[]: a heap overflow (read of dest_fd, write of status) past the copy.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        if (await c.User.GetUser<ushort>(arg + 16) is not { } count) return -Errno.EFAULT;
        int size = Header + count * Info;
        if (size > PageSize) return -Errno.ENOMEM;
        var bytes = new byte[size];
        if (!await c.User.CopyFromUser(arg, bytes, 0, size)) return -Errno.EFAULT;
        var same = heap.Allocate(size, "file_dedupe_range copy (memdup_user)");
        same.Write(0, bytes);

        // vfs_dedupe_file_range(file, same): works on the kernel copy, whose dest_count came from F2.
        if (U16(same, 18) != 0 || same.ReadUInt32(20) != 0) return -Errno.EINVAL;
        ulong length = same.ReadUInt64(8);
        int destCount = U16(same, 16);
        for (int i = 0; i < destCount; i++)
        {
            int info = Header + i * Info;
            long destFd = (long)same.ReadUInt64(info);
            uint reserved = same.ReadUInt32(info + 28);
            int status = reserved != 0 ? -Errno.EINVAL : destFd < 0 ? -Errno.EBADF : 0;
            same.WriteUInt64(info + 16, status == 0 ? length : 0);
            same.WriteUInt32(info + 24, (uint)status);
        }
        var result = same.Read(0, size);
        return await c.User.CopyToUser(arg, result, 0, size) ? 0 : -Errno.EFAULT;
    }

    private static ushort U16(KernelBuffer buffer, int offset) => BitConverter.ToUInt16(buffer.Read(offset, 2));
}
