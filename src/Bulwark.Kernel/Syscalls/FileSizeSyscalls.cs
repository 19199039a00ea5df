using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>A file's size and durability: ftruncate, truncate, fallocate, and fsync, fdatasync, sync, syncfs,
/// fadvise64, which have nothing to write back in an in-memory file system.</summary>
public static class FileSizeSyscalls
{
    private const int FallocKeepSize = 1, FallocPunchHole = 2, FallocZeroRange = 0x10;
    /// <summary>The largest file (the data lives in one .NET array).</summary>
    public const long MaxFileSize = int.MaxValue - 4096;

    public static void Register(SyscallTable t)
    {
        t.Add(45, "truncate", Truncate);
        t.Add(46, "ftruncate", Ftruncate);
        t.Add(47, "fallocate", Fallocate);
        t.Add(81, "sync", c => ValueTask.FromResult(0L));
        t.Add(82, "fsync", Sync);
        t.Add(83, "fdatasync", Sync);
        t.Add(84, "sync_file_range", Sync);
        t.Add(267, "syncfs", Sync);
        t.Add(223, "fadvise64", c => ValueTask.FromResult(FileSyscalls.File(c, c.IntArg(0)) switch
        {
            null => (long)-Errno.EBADF,
            PipeEnd => -Errno.ESPIPE,
            _ => c.IntArg(3) is < 0 or > 5 ? -Errno.EINVAL : 0,
        }));
    }

    private static ValueTask<long> Sync(SyscallContext c) => ValueTask.FromResult(FileSyscalls.File(c, c.IntArg(0)) switch
    {
        null => (long)-Errno.EBADF,
        PipeEnd or EventFd or EpollFile or TimerFd or Fs.Sockets.UnixSocket => -Errno.EINVAL,
        _ => 0L,
    });

    /// <summary>Sets the length; new bytes read as zeros.</summary>
    public static long Resize(RegularInode inode, long length)
    {
        if (length < 0) return -Errno.EINVAL;
        if (length > MaxFileSize) return -Errno.EFBIG;
        if (inode.ReadOnly) return -Errno.EROFS;
        if (length > inode.Data.Length)
        {
            var grown = new byte[Math.Max(length, Math.Min(MaxFileSize, inode.Data.Length * 2L))];
            Array.Copy(inode.Data, grown, inode.Length);
            inode.Data = grown;
        }
        else if (length > inode.Length) Array.Clear(inode.Data, (int)inode.Length, (int)(length - inode.Length));
        if (length < inode.Length) Array.Clear(inode.Data, (int)length, (int)(inode.Length - length));
        inode.Length = length;
        return 0;
    }

    private static ValueTask<long> Ftruncate(SyscallContext c)
    {
        if (FileSyscalls.File(c, c.IntArg(0)) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        if (file is not RegularFile { Inode: RegularInode inode } || !file.CanWrite) return ValueTask.FromResult((long)-Errno.EINVAL);
        return ValueTask.FromResult(Resize(inode, c.LongArg(1)));
    }

    private static async ValueTask<long> Truncate(SyscallContext c)
    {
        var lookup = await FileSyscalls.ResolveArg(c, -100, c.Arg(0));
        if (lookup.Error < 0) return lookup.Error;
        return lookup.Node switch
        {
            DirectoryInode => -Errno.EISDIR,
            RegularInode inode => Resize(inode, c.LongArg(1)),
            _ => -Errno.EINVAL,
        };
    }

    /// <summary>fallocate(fd, mode, offset, len): mode 0 extends the file; KEEP_SIZE reserves nothing visible;
    /// PUNCH_HOLE (with KEEP_SIZE) and ZERO_RANGE zero the range.</summary>
    private static ValueTask<long> Fallocate(SyscallContext c)
    {
        int mode = c.IntArg(1);
        long offset = c.LongArg(2), length = c.LongArg(3);
        if (FileSyscalls.File(c, c.IntArg(0)) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        if (!file.CanWrite) return ValueTask.FromResult((long)-Errno.EBADF);
        if (offset < 0 || length <= 0) return ValueTask.FromResult((long)-Errno.EINVAL);
        if (file is PipeEnd) return ValueTask.FromResult((long)-Errno.ESPIPE);
        if (file is not RegularFile { Inode: RegularInode inode }) return ValueTask.FromResult((long)-Errno.ENODEV);
        if ((mode & ~(FallocKeepSize | FallocPunchHole | FallocZeroRange)) != 0
            || ((mode & FallocPunchHole) != 0 && (mode & FallocKeepSize) == 0)) return ValueTask.FromResult((long)-Errno.EOPNOTSUPP);
        if (offset > MaxFileSize - length) return ValueTask.FromResult((long)-Errno.EFBIG);
        long end = offset + length;
        if ((mode & (FallocPunchHole | FallocZeroRange)) != 0 && offset < inode.Length)
            Array.Clear(inode.Data, (int)offset, (int)(Math.Min(end, inode.Length) - offset));
        if ((mode & FallocKeepSize) == 0 && end > inode.Length) return ValueTask.FromResult(Resize(inode, end));
        return ValueTask.FromResult(0L);
    }
}
