using System.Buffers;
using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>read/write and friends, open/close, stat, pipes, descriptors, directories.</summary>
public static class FileSyscalls
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const int MaxIo = 1 << 24;

    public static void Register(SyscallTable t)
    {
        t.Add(17, "getcwd", GetCwd);
        t.Add(23, "dup", Dup);
        t.Add(24, "dup3", Dup3);
        t.Add(25, "fcntl", Fcntl);
        t.Add(29, "ioctl", Ioctl);
        t.Add(34, "mkdirat", MkdirAt);
        t.Add(35, "unlinkat", UnlinkAt);
        t.Add(38, "renameat", c => Rename(c, 0));
        t.Add(276, "renameat2", c => Rename(c, c.IntArg(4)));
        t.Add(48, "faccessat", FaccessAt);
        t.Add(49, "chdir", Chdir);
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

    private static OpenFile? File(SyscallContext c, int fd) => c.Process.Files.Get(fd);

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

    private static async ValueTask<(string? Path, long Error)> PathArg(SyscallContext c, ulong address)
    {
        var (path, errno) = await c.User.StrncpyFromUser(address, 4096);
        if (path == null) return (null, -errno);
        return (path, 0);
    }

    /// <summary>Resolves a *at() path: absolute, relative to the cwd (AT_FDCWD) or to a directory fd.</summary>
    private static (string? Base, long Error) BaseDirectory(SyscallContext c, int dirfd, string path)
    {
        if (path.StartsWith('/') || dirfd == AtFdCwd) return (c.Process.WorkingDirectory, 0);
        return File(c, dirfd) switch
        {
            null => (null, -Errno.EBADF),
            DirectoryFile dir => (PathOf(c.Kernel.Files.Root, dir.Inode) ?? "/", 0),
            _ => (null, -Errno.ENOTDIR),
        };
    }

    private static string? PathOf(DirectoryInode root, Inode target, string prefix = "")
    {
        if (ReferenceEquals(root, target)) return prefix.Length == 0 ? "/" : prefix;
        foreach (var (name, child) in root.Children)
            if (child is DirectoryInode d && PathOf(d, target, prefix + "/" + name) is { } found) return found;
        return null;
    }

    private static async ValueTask<long> OpenAt(SyscallContext c)
    {
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        int flags = c.IntArg(2);
        var (cwd, baseError) = BaseDirectory(c, c.IntArg(0), path);
        if (cwd == null) return baseError;
        var files = c.Kernel.Files;
        int r = files.Resolve(cwd, path, out var node, out var parent, out string leaf);
        if (r == -Errno.ENOENT && (flags & OpenFile.OCreat) != 0 && parent != null && leaf.Length > 0)
        {
            if (parent.ReadOnly) return -Errno.EROFS;
            node = files.NewFile([]);
            parent.Children[leaf] = node;
            r = 0;
        }
        else if (r == 0 && (flags & (OpenFile.OCreat | OpenFile.OExcl)) == (OpenFile.OCreat | OpenFile.OExcl)) return -Errno.EEXIST;
        if (r < 0) return r;
        OpenFile file;
        switch (node)
        {
            case DirectoryInode dir:
                if ((flags & OpenFile.OAccMode) != OpenFile.ORdOnly) return -Errno.EISDIR;
                file = new DirectoryFile(dir);
                break;
            case RegularInode reg:
                if ((flags & OpenFile.ODirectory) != 0) return -Errno.ENOTDIR;
                if ((flags & OpenFile.OAccMode) != OpenFile.ORdOnly && reg.ReadOnly) return -Errno.EROFS;
                if ((flags & OpenFile.OTrunc) != 0 && (flags & OpenFile.OAccMode) != OpenFile.ORdOnly) reg.Length = 0;
                file = new RegularFile(reg, flags);
                break;
            case DeviceInode dev:
                file = dev.Open();
                break;
            default:
                return -Errno.ENOENT;
        }
        file.StatusFlags = flags & ~(OpenFile.OCreat | OpenFile.OExcl | OpenFile.OTrunc | OpenFile.OCloexec);
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
        var pipe = new Pipe();
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
        if (oldfd == newfd || newfd < 0 || newfd >= FileTable.MaxFds || (flags & ~OpenFile.OCloexec) != 0)
            return ValueTask.FromResult((long)-Errno.EINVAL);
        c.Process.Files.Remove(newfd)?.Close(c.Kernel);
        file.AddReference();
        c.Process.Files.Set(newfd, file, (flags & OpenFile.OCloexec) != 0);
        return ValueTask.FromResult((long)newfd);
    }

    private static ValueTask<long> Fcntl(SyscallContext c)
    {
        const int FDupfd = 0, FGetfd = 1, FSetfd = 2, FGetfl = 3, FSetfl = 4, FDupfdCloexec = 1030;
        int fd = c.IntArg(0);
        if (File(c, fd) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        long result;
        switch (c.IntArg(1))
        {
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

    private static async ValueTask<long> Chdir(SyscallContext c)
    {
        var (path, error) = await PathArg(c, c.Arg(0));
        if (path == null) return error;
        int r = c.Kernel.Files.Resolve(c.Process.WorkingDirectory, path, out var node, out _, out _);
        if (r < 0) return r;
        if (node is not DirectoryInode) return -Errno.ENOTDIR;
        c.Process.WorkingDirectory = Vfs.Normalize(c.Process.WorkingDirectory, path);
        return 0;
    }

    private static async ValueTask<long> FaccessAt(SyscallContext c)
    {
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        var (cwd, baseError) = BaseDirectory(c, c.IntArg(0), path);
        if (cwd == null) return baseError;
        int r = c.Kernel.Files.Resolve(cwd, path, out var node, out _, out _);
        if (r < 0) return r;
        const int WOk = 2;
        if ((c.IntArg(2) & WOk) != 0 && node!.ReadOnly) return -Errno.EROFS;
        return 0;
    }

    private static async ValueTask<long> MkdirAt(SyscallContext c)
    {
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        var (cwd, baseError) = BaseDirectory(c, c.IntArg(0), path);
        if (cwd == null) return baseError;
        int r = c.Kernel.Files.Resolve(cwd, path, out var node, out var parent, out string leaf);
        if (r == 0) return -Errno.EEXIST;
        if (node != null || parent == null || leaf.Length == 0) return r;
        if (parent.ReadOnly) return -Errno.EROFS;
        parent.Children[leaf] = c.Kernel.Files.NewDirectory();
        return 0;
    }

    private static async ValueTask<long> UnlinkAt(SyscallContext c)
    {
        const int AtRemoveDir = 0x200;
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        var (cwd, baseError) = BaseDirectory(c, c.IntArg(0), path);
        if (cwd == null) return baseError;
        int r = c.Kernel.Files.Resolve(cwd, path, out var node, out var parent, out string leaf);
        if (r < 0) return r;
        if (parent == null || node == null || ReferenceEquals(node, c.Kernel.Files.Root)) return -Errno.EBUSY;
        bool removeDir = (c.IntArg(2) & AtRemoveDir) != 0;
        if (node is DirectoryInode dir)
        {
            if (!removeDir) return -Errno.EISDIR;
            if (dir.Children.Count > 0) return -Errno.ENOTEMPTY;
        }
        else if (removeDir) return -Errno.ENOTDIR;
        if (parent.ReadOnly) return -Errno.EROFS;
        parent.Children.Remove(leaf);
        return 0;
    }

    /// <summary>renameat/renameat2 (flags: RENAME_NOREPLACE; RENAME_EXCHANGE and others are refused).</summary>
    private static async ValueTask<long> Rename(SyscallContext c, int flags)
    {
        const int RenameNoReplace = 1;
        if ((flags & ~RenameNoReplace) != 0) return -Errno.EINVAL;
        var (from, fromError) = await PathArg(c, c.Arg(1));
        if (from == null) return fromError;
        var (to, toError) = await PathArg(c, c.Arg(3));
        if (to == null) return toError;
        var (fromBase, e1) = BaseDirectory(c, c.IntArg(0), from);
        if (fromBase == null) return e1;
        var (toBase, e2) = BaseDirectory(c, c.IntArg(2), to);
        if (toBase == null) return e2;
        var files = c.Kernel.Files;
        int r = files.Resolve(fromBase, from, out var node, out var fromParent, out string fromLeaf);
        if (r < 0) return r;
        if (fromParent == null || ReferenceEquals(node, files.Root)) return -Errno.EBUSY;
        int t = files.Resolve(toBase, to, out var existing, out var toParent, out string toLeaf);
        if (t < 0 && (t != -Errno.ENOENT || toParent == null)) return t;
        if (toParent == null) return -Errno.EBUSY;
        if (ReferenceEquals(node, existing)) return 0;
        if (existing != null)
        {
            if ((flags & RenameNoReplace) != 0) return -Errno.EEXIST;
            if (node is DirectoryInode && existing is not DirectoryInode) return -Errno.ENOTDIR;
            if (node is not DirectoryInode && existing is DirectoryInode) return -Errno.EISDIR;
            if (existing is DirectoryInode { Children.Count: > 0 }) return -Errno.ENOTEMPTY;
        }
        if (fromParent.ReadOnly || toParent.ReadOnly) return -Errno.EROFS;
        if (node is DirectoryInode && Vfs.Normalize(toBase, to).StartsWith(Vfs.Normalize(fromBase, from) + "/")) return -Errno.EINVAL;
        fromParent.Children.Remove(fromLeaf);
        toParent.Children[toLeaf] = node!;
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

    /// <summary>There are no symbolic links; /proc/self/exe is not provided either.</summary>
    private static async ValueTask<long> ReadlinkAt(SyscallContext c)
    {
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        var (cwd, baseError) = BaseDirectory(c, c.IntArg(0), path);
        if (cwd == null) return baseError;
        int r = c.Kernel.Files.Resolve(cwd, path, out _, out _, out _);
        return r < 0 ? r : -Errno.EINVAL;
    }

    private static async ValueTask<long> Fstat(SyscallContext c)
    {
        if (File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
        return await WriteStat(c, c.Arg(1), file.Inode?.Ino ?? 1000 + c.IntArg(0), file.StatMode, file.StatSize);
    }

    private static async ValueTask<long> NewFstatAt(SyscallContext c)
    {
        var (path, error) = await PathArg(c, c.Arg(1));
        if (path == null) return error;
        if (path.Length == 0)
        {
            if ((c.IntArg(3) & AtEmptyPath) == 0) return -Errno.ENOENT;
            if (File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
            return await WriteStat(c, c.Arg(2), file.Inode?.Ino ?? 1000 + c.IntArg(0), file.StatMode, file.StatSize);
        }
        var (cwd, baseError) = BaseDirectory(c, c.IntArg(0), path);
        if (cwd == null) return baseError;
        int r = c.Kernel.Files.Resolve(cwd, path, out var node, out _, out _);
        if (r < 0) return r;
        return await WriteStat(c, c.Arg(2), node!.Ino, node.Mode, node.Size);
    }

    /// <summary>struct stat of asm-generic (128 bytes).</summary>
    private static async ValueTask<long> WriteStat(SyscallContext c, ulong address, long ino, uint mode, long size)
    {
        var st = new byte[128];
        var s = st.AsSpan();
        BitConverter.TryWriteBytes(s[0..], 1UL);
        BitConverter.TryWriteBytes(s[8..], (ulong)ino);
        BitConverter.TryWriteBytes(s[16..], mode);
        BitConverter.TryWriteBytes(s[20..], 1u);
        BitConverter.TryWriteBytes(s[48..], size);
        BitConverter.TryWriteBytes(s[56..], 4096);
        BitConverter.TryWriteBytes(s[64..], (size + 511) / 512);
        return await c.User.CopyToUser(address, st, 0, st.Length) ? 0 : -Errno.EFAULT;
    }
}
