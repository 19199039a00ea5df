using System.Buffers;
using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>read/write and friends, open/close, stat, pipes, descriptors, directories.</summary>
public static class FileSyscalls
{
    internal const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000, AtSymlinkNofollow = 0x100, AtNoAutomount = 0x800;
    private const int MaxIo = 1 << 24;

    public static void Register(SyscallTable t)
    {
        t.Add(17, "getcwd", GetCwd);
        t.Add(23, "dup", Dup);
        t.Add(24, "dup3", Dup3);
        t.Add(25, "fcntl", c => LockSyscalls.IsLockCommand(c.IntArg(1)) ? LockSyscalls.Fcntl(c) : Fcntl(c));
        t.Add(29, "ioctl", Ioctl);
        t.Add(34, "mkdirat", MkdirAt);
        t.Add(35, "unlinkat", UnlinkAt);
        t.Add(38, "renameat", c => Rename(c, 0));
        t.Add(276, "renameat2", c => Rename(c, c.IntArg(4)));
        t.Add(48, "faccessat", c => FaccessAt(c, 0));
        t.Add(439, "faccessat2", c => FaccessAt(c, c.IntArg(3)));
        t.Add(49, "chdir", Chdir);
        t.Add(50, "fchdir", Fchdir);
        t.Add(56, "openat", OpenAt);
        t.Add(57, "close", Close);
        t.Add(59, "pipe2", Pipe2);
        t.Add(61, "getdents64", GetDents64);
        t.Add(62, "lseek", Lseek);
        t.Add(63, "read", Read);
        t.Add(64, "write", Write);
        t.Add(65, "readv", Readv);
        t.Add(66, "writev", Writev);
        t.Add(67, "pread64", Pread64);
        t.Add(68, "pwrite64", Pwrite64);
        t.Add(78, "readlinkat", ReadlinkAt);
        t.Add(79, "newfstatat", NewFstatAt);
        t.Add(80, "fstat", Fstat);
    }

    internal static OpenFile? File(SyscallContext c, int fd) => c.Process.Files.Get(fd);

    // Kernel buffers come from a pool: read and write are the hottest calls, and a fresh array per
    // call costs more in zeroing and collections than the copy itself.
    private static async ValueTask<long> Read(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
        if (!file.CanRead) return -Errno.EBADF;
        int count = (int)Math.Min(c.Arg(2), MaxIo);
        var buffer = ArrayPool<byte>.Shared.Rent(count);
        try
        {
            long n = await file.Read(c.Kernel, c.Thread, buffer, count);
            if (n > 0 && !await c.User.CopyToUser(c.Arg(1), buffer, 0, (int)n)) return -Errno.EFAULT;
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<long> Write(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
        if (!file.CanWrite) return -Errno.EBADF;
        int count = (int)Math.Min(c.Arg(2), MaxIo);
        var buffer = ArrayPool<byte>.Shared.Rent(count);
        try
        {
            if (!await c.User.CopyFromUser(c.Arg(1), buffer, 0, count)) return -Errno.EFAULT;
            return await file.Write(c.Kernel, c.Thread, buffer, count);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<(ulong Base, int Length)[]?> ReadIovecs(SyscallContext c, ulong address, int count)
    {
        if (count < 0 || count > 1024) return null;
        var raw = new byte[count * 16];
        if (!await c.User.CopyFromUser(address, raw, 0, raw.Length)) return null;
        var iov = new (ulong, int)[count];
        for (int i = 0; i < count; i++)
            iov[i] = (BitConverter.ToUInt64(raw, i * 16), (int)Math.Min(BitConverter.ToUInt64(raw, i * 16 + 8), MaxIo));
        return iov;
    }

    private static async ValueTask<long> Readv(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file || !file.CanRead) return -Errno.EBADF;
        if (await ReadIovecs(c, c.Arg(1), c.IntArg(2)) is not { } iov) return c.IntArg(2) is < 0 or > 1024 ? -Errno.EINVAL : -Errno.EFAULT;
        long total = 0;
        foreach (var (address, length) in iov)
        {
            if (length == 0) continue;
            var buffer = new byte[length];
            long n = await file.Read(c.Kernel, c.Thread, buffer, length);
            if (n < 0) return total > 0 ? total : n;
            if (n > 0 && !await c.User.CopyToUser(address, buffer, 0, (int)n)) return total > 0 ? total : -Errno.EFAULT;
            total += n;
            if (n < length) break;
        }
        return total;
    }

    private static async ValueTask<long> Writev(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file || !file.CanWrite) return -Errno.EBADF;
        if (await ReadIovecs(c, c.Arg(1), c.IntArg(2)) is not { } iov) return c.IntArg(2) is < 0 or > 1024 ? -Errno.EINVAL : -Errno.EFAULT;
        int total = iov.Sum(v => v.Length);
        var buffer = new byte[total];
        int at = 0;
        foreach (var (address, length) in iov)
        {
            if (length > 0 && !await c.User.CopyFromUser(address, buffer, at, length)) return -Errno.EFAULT;
            at += length;
        }
        return await file.Write(c.Kernel, c.Thread, buffer, total);
    }

    private static async ValueTask<long> Pread64(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file || !file.CanRead) return -Errno.EBADF;
        if (c.LongArg(3) < 0) return -Errno.EINVAL;
        int count = (int)Math.Min(c.Arg(2), MaxIo);
        var buffer = new byte[count];
        long n = file.ReadAt(c.LongArg(3), buffer, count);
        if (n > 0 && !await c.User.CopyToUser(c.Arg(1), buffer, 0, (int)n)) return -Errno.EFAULT;
        return n;
    }

    private static async ValueTask<long> Pwrite64(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file || !file.CanWrite) return -Errno.EBADF;
        if (c.LongArg(3) < 0) return -Errno.EINVAL;
        int count = (int)Math.Min(c.Arg(2), MaxIo);
        var buffer = new byte[count];
        if (!await c.User.CopyFromUser(c.Arg(1), buffer, 0, count)) return -Errno.EFAULT;
        return file.WriteAt(c.LongArg(3), buffer, count);
    }

    private static ValueTask<long> Lseek(SyscallContext c) =>
        ValueTask.FromResult(File(c, c.IntArg(0)) is { } file ? file.Seek(c.LongArg(1), c.IntArg(2)) : -Errno.EBADF);

    internal static async ValueTask<(string? Path, long Error)> PathArg(SyscallContext c, ulong address)
    {
        var (path, errno) = await c.User.StrncpyFromUser(address, 4096);
        if (path == null) return (null, -errno);
        return (path, 0);
    }

    /// <summary>Where a *at() path starts: null for absolute paths and AT_FDCWD (the cwd), else the
    /// directory of <paramref name="dirfd"/> (EBADF, ENOTDIR).</summary>
    internal static (DirectoryInode? Start, long Error) StartOf(SyscallContext c, int dirfd, string path)
    {
        if (path.StartsWith('/') || dirfd == AtFdCwd) return (null, 0);
        return File(c, dirfd) switch
        {
            null => (null, -Errno.EBADF),
            DirectoryFile dir => ((DirectoryInode)dir.Inode, 0),
            _ => (null, -Errno.ENOTDIR),
        };
    }

    /// <summary>A path argument resolved for the calling process: -errno, or the node (null if only the last
    /// component is missing), the directory holding its name, and that name.</summary>
    internal readonly record struct Lookup(long Error, Inode? Node, DirectoryInode? Parent, string Leaf);

    internal static Lookup Resolve(SyscallContext c, int dirfd, string path, bool followLast = true)
    {
        var (start, error) = StartOf(c, dirfd, path);
        if (error < 0) return new Lookup(error, null, null, "");
        int r = c.Kernel.Files.Resolve(c.Process.WorkingDirectory, start, path, out var node, out var parent, out string leaf, followLast, c.Process);
        return new Lookup(r, node, parent, leaf);
    }

    /// <summary>Reads the path at <paramref name="address"/> and resolves it.</summary>
    internal static async ValueTask<Lookup> ResolveArg(SyscallContext c, int dirfd, ulong address, bool followLast = true)
    {
        var (path, error) = await PathArg(c, address);
        if (path == null) return new Lookup(error, null, null, "");
        return Resolve(c, dirfd, path, followLast);
    }

    private static async ValueTask<long> OpenAt(SyscallContext c)
    {
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        int flags = c.IntArg(2);
        bool create = (flags & OpenFile.OCreat) != 0, exclusive = create && (flags & OpenFile.OExcl) != 0;
        // O_EXCL never follows a final link (it must fail with EEXIST); neither does O_NOFOLLOW.
        var lookup = Resolve(c, c.IntArg(0), path, followLast: (flags & OpenFile.ONoFollow) == 0 && !exclusive);
        var node = lookup.Node;
        if (lookup.Error == -Errno.ENOENT && create && lookup.Parent != null && lookup.Leaf is not ("" or "." or ".." or "/"))
        {
            if (path.EndsWith('/')) return -Errno.EISDIR;
            if (lookup.Parent.ReadOnly) return -Errno.EROFS;
            var created = c.Kernel.Files.NewFile([]);
            created.Permissions = (uint)c.Arg(3) & 0xFFF & ~c.Process.Umask;
            lookup.Parent.Link(lookup.Leaf, created);
            node = created;
        }
        else if (lookup.Error < 0) return lookup.Error;
        else if (exclusive) return -Errno.EEXIST;
        int access = flags & OpenFile.OAccMode;
        OpenFile file;
        if ((flags & OpenFile.OPath) != 0)
            file = node is DirectoryInode pathDir ? new DirectoryFile(pathDir, c.Process) : new PathFile(node!);
        else switch (node)
            {
                case SymlinkInode:
                    return -Errno.ELOOP; // O_NOFOLLOW on a link
                case DirectoryInode dir:
                    if (access != OpenFile.ORdOnly || create) return -Errno.EISDIR;
                    file = new DirectoryFile(dir, c.Process);
                    break;
                case RegularInode reg:
                    if ((flags & OpenFile.ODirectory) != 0) return -Errno.ENOTDIR;
                    if (access != OpenFile.ORdOnly && reg.ReadOnly) return -Errno.EROFS;
                    if ((flags & OpenFile.OTrunc) != 0 && access != OpenFile.ORdOnly) reg.Length = 0;
                    file = new RegularFile(reg, flags);
                    break;
                case DeviceInode dev:
                    if ((flags & OpenFile.ODirectory) != 0) return -Errno.ENOTDIR;
                    file = dev.Open();
                    break;
                case OpenFileInode open:
                    if ((flags & OpenFile.ODirectory) != 0) return -Errno.ENOTDIR;
                    open.File.AddReference();
                    int fd = c.Process.Files.Add(open.File, (flags & OpenFile.OCloexec) != 0);
                    if (fd < 0) open.File.Close(c.Kernel);
                    return fd;
                default:
                    return -Errno.ENXIO;
            }
        file.StatusFlags = flags & ~(OpenFile.OCreat | OpenFile.OExcl | OpenFile.OTrunc | OpenFile.OCloexec | OpenFile.ONoFollow);
        return c.Process.Files.Add(file, (flags & OpenFile.OCloexec) != 0);
    }

    private static ValueTask<long> Close(SyscallContext c)
    {
        if (c.Process.Files.Remove(c.IntArg(0)) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        file.Close(c.Kernel);
        return ValueTask.FromResult(0L);
    }

    private static async ValueTask<long> Pipe2(SyscallContext c)
    {
        int flags = c.IntArg(1);
        var pipe = new Pipe { Ino = c.Kernel.Files.NextInodeNumber() };
        var reader = new PipeEnd(pipe, false) { StatusFlags = OpenFile.ORdOnly | (flags & OpenFile.ONonBlock) };
        var writer = new PipeEnd(pipe, true) { StatusFlags = OpenFile.OWrOnly | (flags & OpenFile.ONonBlock) };
        bool cloexec = (flags & OpenFile.OCloexec) != 0;
        int rfd = c.Process.Files.Add(reader, cloexec);
        if (rfd < 0) return rfd;
        int wfd = c.Process.Files.Add(writer, cloexec);
        if (wfd < 0)
        {
            c.Process.Files.Remove(rfd);
            return wfd;
        }
        var fds = new byte[8];
        BitConverter.TryWriteBytes(fds, rfd);
        BitConverter.TryWriteBytes(fds.AsSpan(4), wfd);
        if (!await c.User.CopyToUser(c.Arg(0), fds, 0, 8))
        {
            c.Process.Files.Remove(rfd);
            c.Process.Files.Remove(wfd);
            return -Errno.EFAULT;
        }
        return 0;
    }

    private static ValueTask<long> Dup(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        int fd = c.Process.Files.Add(file);
        if (fd >= 0) file.AddReference();
        return ValueTask.FromResult((long)fd);
    }

    private static ValueTask<long> Dup3(SyscallContext c)
    {
        int oldfd = c.IntArg(0), newfd = c.IntArg(1), flags = c.IntArg(2);
        if (File(c, oldfd) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        if (newfd < 0 || newfd >= c.Process.Files.Limit) return ValueTask.FromResult((long)-Errno.EBADF);
        if (oldfd == newfd || (flags & ~OpenFile.OCloexec) != 0)
            return ValueTask.FromResult((long)-Errno.EINVAL);
        c.Process.Files.Remove(newfd)?.Close(c.Kernel);
        file.AddReference();
        c.Process.Files.Set(newfd, file, (flags & OpenFile.OCloexec) != 0);
        return ValueTask.FromResult((long)newfd);
    }

    private static ValueTask<long> Fcntl(SyscallContext c)
    {
        const int FDupfd = 0, FGetfd = 1, FSetfd = 2, FGetfl = 3, FSetfl = 4, FDupfdCloexec = 1030, FSetPipeSize = 1031, FGetPipeSize = 1032;
        int fd = c.IntArg(0);
        if (File(c, fd) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        long result;
        switch (c.IntArg(1))
        {
            case FDupfd or FDupfdCloexec when c.IntArg(2) < 0 || c.IntArg(2) >= c.Process.Files.Limit:
                result = -Errno.EINVAL;
                break;
            case FDupfd or FDupfdCloexec:
                result = c.Process.Files.Add(file, c.IntArg(1) == FDupfdCloexec, Math.Max(0, c.IntArg(2)));
                if (result >= 0) file.AddReference();
                break;
            case FGetfd: result = c.Process.Files.GetCloseOnExec(fd) ? 1 : 0; break;
            case FSetfd: c.Process.Files.SetCloseOnExec(fd, (c.IntArg(2) & 1) != 0); result = 0; break;
            case FGetfl: result = file.StatusFlags; break;
            case FSetfl:
                file.StatusFlags = (file.StatusFlags & ~(OpenFile.OAppend | OpenFile.ONonBlock)) | (c.IntArg(2) & (OpenFile.OAppend | OpenFile.ONonBlock));
                result = 0;
                break;
            case FGetPipeSize: result = file is PipeEnd ? Pipe.Capacity : -Errno.EBADF; break;
            case FSetPipeSize: result = file is PipeEnd ? Pipe.Capacity : -Errno.EBADF; break;
            default: result = -Errno.EINVAL; break;
        }
        return ValueTask.FromResult(result);
    }

    /// <summary>Devices with requests (/dev/dfbench) answer them; no descriptor is a terminal, so
    /// TCGETS (isatty) says ENOTTY everywhere else, as it does under a pipe.</summary>
    private static ValueTask<long> Ioctl(SyscallContext c) => File(c, c.IntArg(0)) switch
    {
        null => ValueTask.FromResult((long)-Errno.EBADF),
        IIoctlTarget target => target.Ioctl(c, (uint)c.Arg(1), c.Arg(2)),
        _ => ValueTask.FromResult((long)-Errno.ENOTTY),
    };

    private static async ValueTask<long> GetCwd(SyscallContext c)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(c.Process.WorkingDirectory + "\0");
        if ((ulong)bytes.Length > c.Arg(1)) return -Errno.ERANGE;
        if (!await c.User.CopyToUser(c.Arg(0), bytes, 0, bytes.Length)) return -Errno.EFAULT;
        return bytes.Length;
    }

    /// <summary>The working directory is kept as the directory's physical path (links resolved), as getcwd shows it.</summary>
    private static async ValueTask<long> Chdir(SyscallContext c)
    {
        var lookup = await ResolveArg(c, AtFdCwd, c.Arg(0));
        if (lookup.Error < 0) return lookup.Error;
        if (lookup.Node is not DirectoryInode dir) return -Errno.ENOTDIR;
        c.Process.WorkingDirectory = Vfs.PathOf(dir);
        return 0;
    }

    private static ValueTask<long> Fchdir(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        if (file is not DirectoryFile { Inode: DirectoryInode dir }) return ValueTask.FromResult((long)-Errno.ENOTDIR);
        c.Process.WorkingDirectory = Vfs.PathOf(dir);
        return ValueTask.FromResult(0L);
    }

    /// <summary>faccessat and faccessat2 (flags: AT_SYMLINK_NOFOLLOW, AT_EACCESS, AT_EMPTY_PATH).</summary>
    private static async ValueTask<long> FaccessAt(SyscallContext c, int flags)
    {
        const int WOk = 2, XOk = 1;
        var lookup = await ResolveArg(c, c.IntArg(0), c.Arg(1), followLast: (flags & AtSymlinkNofollow) == 0);
        if (lookup.Error < 0) return lookup.Error;
        int mode = c.IntArg(2);
        if ((mode & ~7) != 0) return -Errno.EINVAL;
        if ((mode & WOk) != 0 && lookup.Node!.ReadOnly) return -Errno.EROFS;
        if ((mode & XOk) != 0 && lookup.Node is RegularInode reg && (reg.Mode & 0x49 /* 0111 */) == 0) return -Errno.EACCES;
        return 0;
    }

    private static async ValueTask<long> MkdirAt(SyscallContext c)
    {
        var lookup = await ResolveArg(c, c.IntArg(0), c.Arg(1), followLast: false);
        if (lookup.Error == 0) return -Errno.EEXIST;
        if (lookup.Error != -Errno.ENOENT || lookup.Parent == null || lookup.Leaf.Length == 0) return lookup.Error;
        if (lookup.Parent.ReadOnly) return -Errno.EROFS;
        lookup.Parent.Link(lookup.Leaf, c.Kernel.Files.NewDirectory());
        return 0;
    }

    private static async ValueTask<long> UnlinkAt(SyscallContext c)
    {
        const int AtRemoveDir = 0x200;
        int flags = c.IntArg(2);
        if ((flags & ~AtRemoveDir) != 0) return -Errno.EINVAL;
        var lookup = await ResolveArg(c, c.IntArg(0), c.Arg(1), followLast: false);
        if (lookup.Error < 0) return lookup.Error;
        var (node, parent) = (lookup.Node, lookup.Parent);
        bool removeDir = (flags & AtRemoveDir) != 0;
        if (lookup.Leaf == ".") return removeDir ? -Errno.EINVAL : -Errno.EISDIR;
        if (lookup.Leaf == "..") return removeDir ? -Errno.ENOTEMPTY : -Errno.EISDIR;
        if (parent == null || node == null || ReferenceEquals(node, c.Kernel.Files.Root) || lookup.Leaf == "/") return -Errno.EBUSY;
        if (node is DirectoryInode dir)
        {
            if (!removeDir) return -Errno.EISDIR;
            if (dir.Children.Count > 0) return -Errno.ENOTEMPTY;
        }
        else if (removeDir) return -Errno.ENOTDIR;
        if (parent.ReadOnly) return -Errno.EROFS;
        parent.Unlink(lookup.Leaf);
        return 0;
    }

    /// <summary>renameat/renameat2 (flags: RENAME_NOREPLACE; RENAME_EXCHANGE and others are refused).
    /// Links are renamed, not followed.</summary>
    private static async ValueTask<long> Rename(SyscallContext c, int flags)
    {
        const int RenameNoReplace = 1;
        if ((flags & ~RenameNoReplace) != 0) return -Errno.EINVAL;
        var from = await ResolveArg(c, c.IntArg(0), c.Arg(1), followLast: false);
        if (from.Error < 0) return from.Error;
        var to = await ResolveArg(c, c.IntArg(2), c.Arg(3), followLast: false);
        if (to.Error < 0 && (to.Error != -Errno.ENOENT || to.Parent == null)) return to.Error;
        var (node, fromParent, existing, toParent) = (from.Node!, from.Parent, to.Node, to.Parent);
        if (fromParent == null || ReferenceEquals(node, c.Kernel.Files.Root) || from.Leaf is "." or ".." or "/") return -Errno.EBUSY;
        if (toParent == null || to.Leaf is "." or ".." or "/") return -Errno.EBUSY;
        if (ReferenceEquals(node, existing)) return 0;
        if (existing != null)
        {
            if ((flags & RenameNoReplace) != 0) return -Errno.EEXIST;
            if (node is DirectoryInode && existing is not DirectoryInode) return -Errno.ENOTDIR;
            if (node is not DirectoryInode && existing is DirectoryInode) return -Errno.EISDIR;
            if (existing is DirectoryInode { Children.Count: > 0 }) return -Errno.ENOTEMPTY;
        }
        if (fromParent.ReadOnly || toParent.ReadOnly) return -Errno.EROFS;
        if (node is DirectoryInode moved)
            for (var d = toParent; ; d = d.Parent!)
            {
                if (ReferenceEquals(d, moved)) return -Errno.EINVAL;
                if (d.Parent == null || ReferenceEquals(d.Parent, d)) break;
            }
        if (existing != null) toParent.Unlink(to.Leaf);
        fromParent.Children.Remove(from.Leaf);
        toParent.Link(to.Leaf, node);
        return 0;
    }

    private static async ValueTask<long> GetDents64(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
        if (file is not DirectoryFile dir) return -Errno.ENOTDIR;
        var buffer = new byte[(int)Math.Min(c.Arg(2), 65536)];
        long n = dir.GetDents(buffer);
        if (n > 0 && !await c.User.CopyToUser(c.Arg(1), buffer, 0, (int)n)) return -Errno.EFAULT;
        return n;
    }

    private static async ValueTask<long> ReadlinkAt(SyscallContext c)
    {
        var lookup = await ResolveArg(c, c.IntArg(0), c.Arg(1), followLast: false);
        if (lookup.Error < 0) return lookup.Error;
        if (lookup.Node is not SymlinkInode link) return -Errno.EINVAL;
        long size = c.LongArg(3);
        if (size <= 0) return -Errno.EINVAL;
        var bytes = System.Text.Encoding.UTF8.GetBytes(link.Target(c.Process));
        int n = (int)Math.Min(bytes.Length, size);
        return await c.User.CopyToUser(c.Arg(2), bytes, 0, n) ? n : -Errno.EFAULT;
    }

    private static async ValueTask<long> Fstat(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
        return await WriteStat(c, c.Arg(1), file, c.IntArg(0));
    }

    private static async ValueTask<long> NewFstatAt(SyscallContext c)
    {
        int flags = c.IntArg(3);
        if ((flags & ~(AtSymlinkNofollow | AtEmptyPath | AtNoAutomount)) != 0) return -Errno.EINVAL;
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        if (path.Length == 0 && (flags & AtEmptyPath) != 0)
        {
            if (c.IntArg(0) == AtFdCwd) return await WriteStat(c, c.Arg(2), Resolve(c, AtFdCwd, ".").Node!);
            if (File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
            return await WriteStat(c, c.Arg(2), file, c.IntArg(0));
        }
        var lookup = Resolve(c, c.IntArg(0), path, followLast: (flags & AtSymlinkNofollow) == 0);
        if (lookup.Error < 0) return lookup.Error;
        return await WriteStat(c, c.Arg(2), lookup.Node!);
    }

    private static ValueTask<long> WriteStat(SyscallContext c, ulong address, OpenFile file, int fd) =>
        file.Inode is { } inode ? WriteStat(c, address, inode)
            : WriteStat(c, address, file.StatIno ?? 1000 + fd, file.StatMode, file.StatSize, 1);

    internal static ValueTask<long> WriteStat(SyscallContext c, ulong address, Inode node) =>
        WriteStat(c, address, node.Ino, node.Mode, node.Size, node.Links);

    /// <summary>struct stat of asm-generic (128 bytes).</summary>
    private static async ValueTask<long> WriteStat(SyscallContext c, ulong address, long ino, uint mode, long size, int links)
    {
        var st = new byte[128];
        var s = st.AsSpan();
        BitConverter.TryWriteBytes(s[0..], 1UL);
        BitConverter.TryWriteBytes(s[8..], (ulong)ino);
        BitConverter.TryWriteBytes(s[16..], mode);
        BitConverter.TryWriteBytes(s[20..], (uint)links);
        BitConverter.TryWriteBytes(s[24..], (uint)InfoSyscalls.Uid);
        BitConverter.TryWriteBytes(s[28..], (uint)InfoSyscalls.Gid);
        BitConverter.TryWriteBytes(s[48..], size);
        BitConverter.TryWriteBytes(s[56..], 4096);
        BitConverter.TryWriteBytes(s[64..], (size + 511) / 512);
        return await c.User.CopyToUser(address, st, 0, st.Length) ? 0 : -Errno.EFAULT;
    }
}
