namespace Bulwark.Kernel.Fs;

/// <summary>A node of the in-memory file system. Its number comes from the file system that made it
/// (<see cref="Vfs.NextInodeNumber"/>), so what a guest sees in st_ino depends on its own run only.</summary>
public abstract class Inode(long ino)
{
    public const uint SIfDir = 0x4000, SIfReg = 0x8000, SIfChr = 0x2000, SIfIfo = 0x1000, SIfLnk = 0xA000, SIfSock = 0xC000;

    public long Ino { get; } = ino;
    public abstract uint Mode { get; }
    public virtual long Size => 0;
    public bool ReadOnly { get; init; }
    /// <summary>Names this node has (hard links); directories count as Linux does (2 + subdirectories).</summary>
    public virtual int Links { get; set; } = 1;
    /// <summary>The dirent type of getdents64 (DT_*).</summary>
    public virtual byte DirentType => 0;
}

public class DirectoryInode(long ino) : Inode(ino)
{
    public SortedDictionary<string, Inode> Children { get; } = new(StringComparer.Ordinal);
    /// <summary>The directory that holds this one (".."); the root is its own parent.</summary>
    public DirectoryInode? Parent { get; set; }
    /// <summary>This directory's name in its parent.</summary>
    public string Name { get; set; } = "";
    public override uint Mode => SIfDir | 0x1ED /* 0755 */;
    public override byte DirentType => 4;
    public override int Links
    {
        get => 2 + Children.Values.Count(c => c is DirectoryInode);
        set { }
    }

    /// <summary>The entry <paramref name="name"/>; dynamic directories (/proc) make theirs for the caller.</summary>
    public virtual Inode? Lookup(string name, Processes.Process? caller) => Children.GetValueOrDefault(name);

    /// <summary>Every entry, in name order (dynamic directories list what the caller would find).</summary>
    public virtual IEnumerable<KeyValuePair<string, Inode>> List(Processes.Process? caller) => Children;

    /// <summary>Adds a name for <paramref name="node"/> (a new node, a hard link, or the target of a rename).</summary>
    public void Link(string name, Inode node)
    {
        Children[name] = node;
        if (node is DirectoryInode dir)
        {
            dir.Parent = this;
            dir.Name = name;
        }
    }

    /// <summary>Removes the name; the node lives on while it has other names or open files.</summary>
    public Inode? Unlink(string name)
    {
        if (!Children.Remove(name, out var node)) return null;
        if (node is not DirectoryInode) node.Links--;
        return node;
    }
}

public sealed class RegularInode(long ino, byte[] data) : Inode(ino)
{
    public byte[] Data { get; set; } = data;
    public long Length { get; set; } = data.Length;
    /// <summary>Permission bits (chmod); read-only files show 0444.</summary>
    public uint Permissions { get; set; } = 0x1A4; // 0644
    public override uint Mode => SIfReg | (ReadOnly ? Permissions & 0x16D /* no write bits */ : Permissions);
    public override long Size => Length;
    public override byte DirentType => 8;
    /// <summary>Record locks and flock of this file (made on first use).</summary>
    public object? Locks { get; set; }
}

/// <summary>A character device such as /dev/null; each open makes a fresh <see cref="OpenFile"/>.</summary>
public sealed class DeviceInode(long ino, Func<OpenFile> open) : Inode(ino)
{
    public OpenFile Open() => open();
    public override uint Mode => SIfChr | 0x1B6 /* 0666 */;
    public override byte DirentType => 2;
}

/// <summary>A symbolic link: its target is a path, resolved when the link is followed.</summary>
public class SymlinkInode(long ino, string target) : Inode(ino)
{
    public override uint Mode => SIfLnk | 0x1FF /* 0777 */;
    public override long Size => System.Text.Encoding.UTF8.GetByteCount(Target(null));
    public override byte DirentType => 10;

    /// <summary>What readlink shows.</summary>
    public virtual string Target(Processes.Process? caller) => target;

    /// <summary>A /proc link that leads straight to a node instead of through a path (exe, fd/N, cwd).</summary>
    public virtual Inode? Jump(Processes.Process? caller) => null;
}
