using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_HANDLE_TO_PATH, request 7: a port of handle_to_path (open_by_handle_at) before the
/// CVE-2015-1420 fix, with exportfs_decode_fh and generic_fh_to_dentry/generic_fh_to_parent decoding.
/// arg: struct { u64 handle; u32 ino, gen, parent_ino, parent_gen (out); } (24 bytes); handle points to
/// struct file_handle { u32 handle_bytes; s32 handle_type; u8 f_handle[handle_bytes]; } with
/// 0 &lt; handle_bytes &lt;= 128 (MAX_HANDLE_SZ). Type 1 (FILEID_INO32_GEN) needs 2 words {ino, gen};
/// type 2 (FILEID_INO32_GEN_PARENT) at least 3 {ino, gen, parent_ino[, parent_gen]}; the fields not
/// decoded are 0. Errors: -EFAULT, -EINVAL (handle_bytes 0 or above 128), -ESTALE (a handle too short
/// for its type, or an unknown type).</summary>
public sealed class HandleToPathHandler : IDoubleFetchHandler
{
    private const int Header = 8, MaxHandle = 128;

    public uint Request => 7;
    public string Name => "DFB_HANDLE_TO_PATH";
    public string Origin => "CVE-2015-1420 (Linux fs/fhandle.c handle_to_path, open_by_handle_at)";
    public string Pattern =>
        "F1 copies struct file_handle's header and checks handle_bytes <= MAX_HANDLE_SZ, then kmallocs " +
        "header + handle_bytes; F2 copies header + handle bytes again over it, so handle->handle_bytes is F2's " +
        "value: exportfs_decode_fh passes handle_bytes/4 as fh_len, and the filesystem reads the words fh_len " +
        "admits (parent_ino, parent_gen) past the handle buffer.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        if (await c.User.GetUser<ulong>(arg) is not { } user) return -Errno.EFAULT;
        var header = new byte[Header];
        if (!await c.User.CopyFromUser(user, header, 0, Header)) return -Errno.EFAULT;
        uint handleBytes = BitConverter.ToUInt32(header, 0);
        if (handleBytes > MaxHandle || handleBytes == 0) return -Errno.EINVAL;
        var handle = heap.Allocate(Header + (int)handleBytes, "struct file_handle");
        var full = new byte[Header + handleBytes];
        if (!await c.User.CopyFromUser(user, full, 0, full.Length)) return -Errno.EFAULT;
        handle.Write(0, full);

        // do_handle_to_path -> exportfs_decode_fh(mnt, handle->f_handle, handle->handle_bytes >> 2, handle->handle_type)
        int fhLength = (int)(handle.ReadUInt32(0) >> 2);
        int type = (int)handle.ReadUInt32(4);
        if (fhLength < 2 || (type != 1 && type != 2)) return -Errno.ESTALE;
        var words = new uint[4];
        words[0] = handle.ReadUInt32(Header);           // fid->i32.ino
        words[1] = handle.ReadUInt32(Header + 4);       // fid->i32.gen
        if (type == 2)
        {
            if (fhLength <= 2) return -Errno.ESTALE;
            words[2] = handle.ReadUInt32(Header + 8);   // fid->i32.parent_ino
            words[3] = fhLength > 3 ? handle.ReadUInt32(Header + 12) : 0; // fid->i32.parent_gen
        }
        var result = new byte[16];
        for (int i = 0; i < 4; i++) BitConverter.TryWriteBytes(result.AsSpan(i * 4), words[i]);
        return await c.User.CopyToUser(arg + 8, result, 0, 16) ? 0 : -Errno.EFAULT;
    }
}
