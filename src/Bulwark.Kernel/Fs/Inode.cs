namespace Bulwark.Kernel.Fs;

/// <summary>A node of the in-memory file system. Its number comes from the file system that made it
/// (<see cref="Vfs.NextInodeNumber"/>), so what a guest sees in st_ino depends on its own run only.</summary>
public abstract class Inode(long ino)
{
    public const uint SIfDir = 0x4000, SIfReg = 0x8000, SIfChr = 0x2000, SIfIfo = 0x1000;

    public long Ino { get; } = ino;
    public abstract uint Mode { get; }
    public virtual long Size => 0;
    public bool ReadOnly { get; init; }
}

public sealed class DirectoryInode(long ino) : Inode(ino)
{
    public SortedDictionary<string, Inode> Children { get; } = new(StringComparer.Ordinal);
    public override uint Mode => SIfDir | 0x1ED /* 0755 */;
}

public sealed class RegularInode(long ino, byte[] data) : Inode(ino)
{
    public byte[] Data { get; set; } = data;
    public long Length { get; set; } = data.Length;
    public override uint Mode => SIfReg | (ReadOnly ? 0x124u /* 0444 */ : 0x1A4u /* 0644 */);
    public override long Size => Length;
}

/// <summary>A character device such as /dev/null; each open makes a fresh <see cref="OpenFile"/>.</summary>
public sealed class DeviceInode(long ino, Func<OpenFile> open) : Inode(ino)
{
    public OpenFile Open() => open();
    public override uint Mode => SIfChr | 0x1B6 /* 0666 */;
}
