using System.Text;
using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Symbolic and hard links, and the calls that change a node's metadata (mode, owner, times).</summary>
public static class LinkSyscalls
{
    private const int AtSymlinkFollow = 0x400, AtEmptyPath = 0x1000, AtSymlinkNofollow = 0x100, AtFdCwd = -100;

    public static void Register(SyscallTable t)
    {
        t.Add(36, "symlinkat", SymlinkAt);
        t.Add(37, "linkat", LinkAt);
        t.Add(52, "fchmod", Fchmod);
        t.Add(53, "fchmodat", FchmodAt);
        t.Add(54, "fchownat", FchownAt);
        t.Add(55, "fchown", c => ValueTask.FromResult(FileSyscalls.File(c, c.IntArg(0)) == null ? (long)-Errno.EBADF : 0L));
        t.Add(88, "utimensat", UtimensAt);
    }

    /// <summary>symlinkat(target, newdirfd, linkpath): the target is stored as given, never checked.</summary>
    private static async ValueTask<long> SymlinkAt(SyscallContext c)
    {
        var (target, error) = await FileSyscalls.PathArg(c, c.Arg(0));
        if (target == null) return error;
        if (target.Length == 0) return -Errno.ENOENT;
        var lookup = await FileSyscalls.ResolveArg(c, c.IntArg(1), c.Arg(2), followLast: false);
        if (lookup.Error == 0) return -Errno.EEXIST;
        if (lookup.Error != -Errno.ENOENT || lookup.Parent == null || lookup.Leaf.Length == 0) return lookup.Error;
        if (lookup.Parent.ReadOnly) return -Errno.EROFS;
        lookup.Parent.Link(lookup.Leaf, c.Kernel.Files.NewSymlink(target));
        return 0;
    }

    /// <summary>linkat(olddirfd, oldpath, newdirfd, newpath, flags): a second name for a file (not a directory);
    /// the old path's last link is followed only with AT_SYMLINK_FOLLOW.</summary>
    private static async ValueTask<long> LinkAt(SyscallContext c)
    {
        int flags = c.IntArg(4);
        if ((flags & ~(AtSymlinkFollow | AtEmptyPath)) != 0) return -Errno.EINVAL;
        var (oldPath, error) = await FileSyscalls.PathArg(c, c.Arg(1));
        if (oldPath == null) return error;
        Inode node;
        if (oldPath.Length == 0 && (flags & AtEmptyPath) != 0)
        {
            if (FileSyscalls.File(c, c.IntArg(0)) is not { Inode: { } inode }) return -Errno.EBADF;
            node = inode;
        }
        else
        {
            var old = FileSyscalls.Resolve(c, c.IntArg(0), oldPath, followLast: (flags & AtSymlinkFollow) != 0);
            if (old.Error < 0) return old.Error;
            node = old.Node!;
        }
        if (node is DirectoryInode) return -Errno.EPERM;
        var lookup = await FileSyscalls.ResolveArg(c, c.IntArg(2), c.Arg(3), followLast: false);
        if (lookup.Error == 0) return -Errno.EEXIST;
        if (lookup.Error != -Errno.ENOENT || lookup.Parent == null || lookup.Leaf.Length == 0) return lookup.Error;
        if (lookup.Parent.ReadOnly) return -Errno.EROFS;
        if (node.Links <= 0) return -Errno.ENOENT; // a file whose last name is gone cannot get a new one
        lookup.Parent.Link(lookup.Leaf, node);
        node.Links++;
        return 0;
    }

    private static long Chmod(Inode node, uint mode)
    {
        if (node is not RegularInode reg) return 0; // directories and devices keep their modes
        if (reg.ReadOnly) return -Errno.EROFS;
        reg.Permissions = mode & 0xFFF;
        return 0;
    }

    private static ValueTask<long> Fchmod(SyscallContext c)
    {
        if (FileSyscalls.File(c, c.IntArg(0)) is not { } file) return ValueTask.FromResult((long)-Errno.EBADF);
        return ValueTask.FromResult(file.Inode is { } node ? Chmod(node, (uint)c.Arg(1)) : 0L);
    }

    private static async ValueTask<long> FchmodAt(SyscallContext c)
    {
        var lookup = await FileSyscalls.ResolveArg(c, c.IntArg(0), c.Arg(1));
        return lookup.Error < 0 ? lookup.Error : Chmod(lookup.Node!, (uint)c.Arg(2));
    }

    /// <summary>Every file belongs to the one user; changing the owner to it (or -1) succeeds, anything else is EPERM.</summary>
    private static async ValueTask<long> FchownAt(SyscallContext c)
    {
        var lookup = await FileSyscalls.ResolveArg(c, c.IntArg(0), c.Arg(1), followLast: (c.IntArg(4) & AtSymlinkNofollow) == 0);
        if (lookup.Error < 0) return lookup.Error;
        int uid = c.IntArg(2), gid = c.IntArg(3);
        return uid is -1 or InfoSyscalls.Uid && gid is -1 or InfoSyscalls.Gid ? 0 : -Errno.EPERM;
    }

    /// <summary>Times are not kept: the call checks its arguments and succeeds.</summary>
    private static async ValueTask<long> UtimensAt(SyscallContext c)
    {
        if (c.Arg(1) == 0)
            return FileSyscalls.File(c, c.IntArg(0)) == null ? -Errno.EBADF : 0;
        var lookup = await FileSyscalls.ResolveArg(c, c.IntArg(0), c.Arg(1), followLast: (c.IntArg(3) & AtSymlinkNofollow) == 0);
        return lookup.Error < 0 ? lookup.Error : 0;
    }
}
