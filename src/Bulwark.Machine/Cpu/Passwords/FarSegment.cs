namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>A password-protected segment as the hardware sees it: where it is in the shared part of the
/// address space (the same in every process), the frames behind its pages, and its passwords per access
/// kind. The kernel programs it (and rotates its passwords); the password unit checks every far access
/// against it.</summary>
public sealed class FarSegment
{
    public FarSegment(ulong baseAddress, uint[] frames)
    {
        if ((baseAddress & 0xfff) != 0 || frames.Length == 0) throw new ArgumentException("a segment is whole pages");
        Base = baseAddress;
        Frames = frames;
        WriterTags = new uint[frames.Length * (4096 / 8)];
    }

    public ulong Base { get; }
    public ulong End => Base + ((ulong)Frames.Length << 12);
    /// <summary>The frame behind each page (allocated by the kernel when the segment is created).</summary>
    public uint[] Frames { get; }

    /// <summary>Allows far loads.</summary>
    public Password128 Read { get; set; }
    /// <summary>Allows far loads and stores.</summary>
    public Password128 ReadWrite { get; set; }
    /// <summary>Allows neither; a pointer verified against it may be called (code in the segment).</summary>
    public Password128 Execute { get; set; }

    /// <summary>The user tag (<see cref="Hart.UserTag"/>) of the last far store into each 8-byte word, so
    /// the kernel can blame whoever planted a bad pointer. 0: never written by a far store.</summary>
    public uint[] WriterTags { get; }

    public bool Contains(ulong va) => va - Base < End - Base;

    public bool AllowsRead(in Password128 p) => !p.IsZero && (p == Read || p == ReadWrite);
    public bool AllowsWrite(in Password128 p) => !p.IsZero && p == ReadWrite;
    public bool Matches(in Password128 p) => !p.IsZero && (p == Read || p == ReadWrite || p == Execute);
}
