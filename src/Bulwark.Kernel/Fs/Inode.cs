namespace Bulwark.Kernel.Fs;

/// <summary>A node of the in-memory file system.</summary>
public abstract class Inode
{
    private static long _nextIno = 1;
    public const uint SIfDir = 0x4000, SIfReg = 0x8000, SIfChr = 0x2000, SIfIfo = 0x1000;

    public long Ino { get; } = Interlocked.Increment(ref _nextIno);
    public abstract uint Mode { get; }
    public virtual long Size => 0;
    public bool ReadOnly { get; init; }
}

public sealed class DirectoryInode : Inode
{
    public SortedDictionary<string, Inode> Children { get; } = new(StringComparer.Ordinal);
    public override uint Mode => SIfDir | 0x1ED /* 0755 */;
}

public sealed class RegularInode(byte[] data) : Inode
{
    public byte[] Data { get; set; } = data;
    public long Length { get; set; } = data.Length;
    public override uint Mode => SIfReg | (ReadOnly ? 0x124u /* 0444 */ : 0x1A4u /* 0644 */);
    public override long Size => Length;
}

/// <summary>A character device such as /dev/null; each open makes a fresh <see cref="OpenFile"/>.</summary>
public sealed class DeviceInode(Func<OpenFile> open) : Inode
{
    public OpenFile Open() => open();
    public override uint Mode => SIfChr | 0x1B6 /* 0666 */;
}
