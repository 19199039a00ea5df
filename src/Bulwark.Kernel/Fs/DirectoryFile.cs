using System.Text;

namespace Bulwark.Kernel.Fs;

/// <summary>An open directory: getdents64 walks its entries in name order.</summary>
public sealed class DirectoryFile(DirectoryInode inode, Processes.Process? opener = null) : OpenFile
{
    private int _position;

    public override Inode Inode => inode;

    public override ValueTask<long> Read(KernelCore kernel, Processes.GuestThread thread, byte[] buffer, int count) =>
        ValueTask.FromResult((long)-Errno.EISDIR);

    public override long ReadAt(long offset, byte[] buffer, int count) => -Errno.EISDIR;

    /// <summary>Fills <paramref name="buffer"/> with linux_dirent64 records; returns bytes used or -EINVAL if none fits.</summary>
    public long GetDents(byte[] buffer)
    {
        var entries = new List<(string Name, Inode Node)> { (".", inode), ("..", inode.Parent ?? inode) };
        entries.AddRange(inode.List(opener).Select(c => (c.Key, c.Value)));
        int used = 0;
        while (_position < entries.Count)
        {
            var (name, node) = entries[_position];
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            int reclen = (19 + nameBytes.Length + 1 + 7) & ~7;
            if (used + reclen > buffer.Length) break;
            var span = buffer.AsSpan(used, reclen);
            span.Clear();
            BitConverter.TryWriteBytes(span, node.Ino);
            BitConverter.TryWriteBytes(span[8..], (long)(_position + 1));
            BitConverter.TryWriteBytes(span[16..], (ushort)reclen);
            span[18] = node.DirentType;
            nameBytes.CopyTo(span[19..]);
            used += reclen;
            _position++;
        }
        if (used == 0 && _position < entries.Count) return -Errno.EINVAL;
        return used;
    }

    public override long Seek(long offset, int whence)
    {
        if (whence != 0 || offset < 0) return -Errno.EINVAL;
        _position = (int)offset;
        return offset;
    }
}
