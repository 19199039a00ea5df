namespace Bulwark.Machine.Devices.Virtio;

/// <summary>A disk's contents: an in-memory copy of an image file (raw format), made when the image is
/// opened. Guest writes change this copy only, never the host file, so a run cannot damage its image
/// and the next run starts from the same bytes. The size is rounded up to whole 512-byte sectors with
/// zeros, as QEMU's raw format presents a file whose length is not a multiple of 512.</summary>
public sealed class DiskImage
{
    public const int SectorSize = 512;

    private readonly byte[] _bytes;

    /// <summary>A copy of <paramref name="contents"/>.</summary>
    public DiskImage(ReadOnlySpan<byte> contents, bool readOnly = false)
    {
        long size = (contents.Length + (long)SectorSize - 1) / SectorSize * SectorSize;
        if (size > Array.MaxLength) throw new ArgumentException("disk image too large for an in-memory copy");
        _bytes = new byte[size];
        contents.CopyTo(_bytes);
        ReadOnly = readOnly;
    }

    /// <summary>A copy of the image file at <paramref name="path"/>; the file is only read, here, once.</summary>
    public static DiskImage FromFile(string path, bool readOnly = false) => new(File.ReadAllBytes(path), readOnly);

    /// <summary>A zeroed disk of <paramref name="sectors"/> sectors.</summary>
    public static DiskImage Blank(int sectors, bool readOnly = false) => new(new byte[(long)sectors * SectorSize], readOnly);

    public bool ReadOnly { get; }

    /// <summary>Capacity in 512-byte sectors.</summary>
    public ulong Sectors => (ulong)_bytes.Length / SectorSize;

    public ulong Bytes => (ulong)_bytes.Length;

    /// <summary>The bytes from <paramref name="offset"/> (in range: callers check).</summary>
    public ReadOnlySpan<byte> Slice(ulong offset, int length) => _bytes.AsSpan(checked((int)offset), length);

    /// <summary>Overwrites the copy at <paramref name="offset"/> (in range: callers check).</summary>
    public void Write(ulong offset, ReadOnlySpan<byte> data) => data.CopyTo(_bytes.AsSpan(checked((int)offset)));
}
