using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>An open regular file of the in-memory file system.</summary>
public sealed class RegularFile(RegularInode inode, int flags) : OpenFile
{
    public int OpenFlags => flags;

    private long _offset;

    public override Inode Inode => inode;

    public override ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        long n = ReadAt(_offset, buffer, count);
        if (n > 0) _offset += n;
        return ValueTask.FromResult(n);
    }

    public override long ReadAt(long offset, byte[] buffer, int count)
    {
        if (offset >= inode.Length) return 0;
        int n = (int)Math.Min(count, inode.Length - offset);
        Array.Copy(inode.Data, offset, buffer, 0, n);
        return n;
    }

    public override ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        if ((StatusFlags & OAppend) != 0) _offset = inode.Length;
        long n = WriteAt(_offset, buffer, count);
        if (n > 0) _offset += n;
        return ValueTask.FromResult(n);
    }

    public override long WriteAt(long offset, byte[] buffer, int count)
    {
        if (inode.ReadOnly) return -Errno.EROFS;
        long end = offset + count;
        if (end > inode.Data.Length)
        {
            var grown = new byte[Math.Max(end, inode.Data.Length * 2L)];
            Array.Copy(inode.Data, grown, inode.Length);
            inode.Data = grown;
        }
        if (offset > inode.Length) Array.Clear(inode.Data, (int)inode.Length, (int)(offset - inode.Length));
        Array.Copy(buffer, 0, inode.Data, offset, count);
        if (end > inode.Length) inode.Length = end;
        return count;
    }

    /// <summary>OFD record locks and flock locks belong to the open file description and end with it.</summary>
    protected override void OnLastClose(KernelCore kernel)
    {
        if (inode.Locks is FileLocks locks)
        {
            locks.ReleaseOwner(this);
            locks.ReleaseFlock(this);
        }
    }

    public override long Seek(long offset, int whence)
    {
        long target = whence switch
        {
            0 => offset,
            1 => _offset + offset,
            2 => inode.Length + offset,
            _ => -1,
        };
        if (whence is < 0 or > 2 || target < 0) return -Errno.EINVAL;
        _offset = target;
        return target;
    }
}
