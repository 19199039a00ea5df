namespace Bulwark.S3k.Capabilities;

/// <summary>Capability types (the low four bits of a capability word).</summary>
public enum CapType : byte
{
    None = 0,
    Time = 1,
    Memory = 2,
    Pmp = 3,
    Monitor = 4,
    Channel = 5,
    Socket = 6,
}

/// <summary>Memory permissions (PMP's R, W, X bits).</summary>
public static class Rwx
{
    public const byte None = 0, R = 1, W = 2, X = 4, Rw = R | W, Rx = R | X, All = R | W | X;
}

/// <summary>IPC socket modes and permissions.</summary>
public static class Ipc
{
    public const byte NoYield = 0, Yield = 1;
    public const byte SData = 1, SCap = 2, CData = 4, CCap = 8;
}

/// <summary>One capability as the 64-bit word s3k stores, reads back to processes and accepts in
/// CAP_DERIVE (a C union of bit fields on little-endian RISC-V). Bits 0–3 are the type; the rest:
/// <code>
/// TIME     pad 4–7  | hart 8–15  | bgn 16–31 | mrk 32–47 | end 48–63   (slots)
/// MEMORY   rwx 4–6, lck 7 | tag 8–15 | bgn | mrk | end                (4 KiB blocks of tag's 128 MiB)
/// PMP      rwx 4–6, used 7 | slot 8–15 | addr 16–63                   (NAPOT pmpaddr)
/// MONITOR  pad 4–15 | bgn | mrk | end                                  (pids)
/// CHANNEL  pad 4–15 | bgn | mrk | end                                  (channels)
/// SOCKET   mode 4–7 | perm 8–15 | chan 16–31 | tag 32–63               (tag 0: the server)
/// </code>
/// The word is kept whole: bits a type does not use (padding) survive derivation and moves, as in C.</summary>
public readonly record struct Cap(ulong Raw)
{
    /// <summary>log2 of a memory block (4 KiB) and of the span one tag covers (128 MiB).</summary>
    public const int MinBlockSize = 12, MaxBlockSize = 27;

    public static readonly Cap Empty;

    public CapType Type => (CapType)(Raw & 0xf);
    public bool IsEmpty => Type == CapType.None;

    // The begin/mark/end triple of TIME, MEMORY, MONITOR and CHANNEL.
    public ushort Bgn => (ushort)(Raw >> 16);
    public ushort Mrk => (ushort)(Raw >> 32);
    public ushort End => (ushort)(Raw >> 48);

    /// <summary>TIME: the hart whose slots these are.</summary>
    public byte Hart => (byte)(Raw >> 8);

    /// <summary>MEMORY and PMP: permissions.</summary>
    public byte Rwx => (byte)((Raw >> 4) & 7);

    /// <summary>MEMORY: locked (a PMP capability was derived from it; no more memory children).</summary>
    public bool Lck => ((Raw >> 7) & 1) != 0;

    /// <summary>MEMORY: which 128 MiB of the address space.</summary>
    public byte Tag => (byte)(Raw >> 8);

    /// <summary>PMP: loaded into a PMP slot of its holder.</summary>
    public bool Used => ((Raw >> 7) & 1) != 0;

    /// <summary>PMP: the slot it is loaded in.</summary>
    public byte Slot => (byte)(Raw >> 8);

    /// <summary>PMP: the NAPOT-encoded pmpaddr (48 bits).</summary>
    public ulong Addr => Raw >> 16;

    /// <summary>SOCKET: YIELD or NOYIELD.</summary>
    public byte Mode => (byte)((Raw >> 4) & 0xf);

    /// <summary>SOCKET: SDATA/SCAP/CDATA/CCAP bits.</summary>
    public byte Perm => (byte)(Raw >> 8);

    /// <summary>SOCKET: its channel.</summary>
    public ushort Chan => (ushort)(Raw >> 16);

    /// <summary>SOCKET: 0 for the server's socket, the client's tag otherwise.</summary>
    public uint SocketTag => (uint)(Raw >> 32);

    public Cap WithMrk(ushort mrk) => new((Raw & ~(0xffffUL << 32)) | ((ulong)mrk << 32));
    public Cap WithLck(bool lck) => new((Raw & ~(1UL << 7)) | (lck ? 1UL << 7 : 0));
    public Cap WithUsedSlot(bool used, byte slot) => new((Raw & ~0xff80UL) | (used ? 1UL << 7 : 0) | ((ulong)slot << 8));

    /// <summary>MEMORY: the physical address of a block of this capability's tag (tag_block_to_addr).</summary>
    public static ulong BlockAddress(byte tag, ushort block) => ((ulong)tag << MaxBlockSize) + ((ulong)block << MinBlockSize);

    /// <summary>The byte range [base, base + size) of a NAPOT pmpaddr (pmp_napot_decode).</summary>
    public static (ulong Base, ulong Size) NapotDecode(ulong addr) =>
        (((addr + 1) & addr) << 2, (((addr + 1) ^ addr) + 1) << 2);

    /// <summary>The pmpaddr of a NAPOT region (pmp_napot_encode).</summary>
    public static ulong NapotEncode(ulong @base, ulong size) => (@base | (size / 2 - 1)) >> 2;

    // The constructors of cap_util.c (cap_mk_*): mark at begin, nothing used or locked.

    public static Cap Time(byte hart, ushort bgn, ushort end) =>
        new((ulong)CapType.Time | ((ulong)hart << 8) | ((ulong)bgn << 16) | ((ulong)bgn << 32) | ((ulong)end << 48));

    /// <summary>MEMORY over [bgn, end), which must lie in one tag's 128 MiB.</summary>
    public static Cap Memory(ulong bgn, ulong end, byte rwx)
    {
        ulong tag = bgn >> MaxBlockSize;
        if (bgn >= end || end > (tag + 1) << MaxBlockSize) throw new ArgumentException($"memory [0x{bgn:x}, 0x{end:x}) is empty or crosses a tag");
        ulong b = (bgn - (tag << MaxBlockSize)) >> MinBlockSize, e = (end - (tag << MaxBlockSize)) >> MinBlockSize;
        return MemoryBlocks((byte)tag, (ushort)b, (ushort)e, rwx);
    }

    public static Cap MemoryBlocks(byte tag, ushort bgn, ushort end, byte rwx, ushort? mrk = null, bool lck = false) =>
        new((ulong)CapType.Memory | ((ulong)(rwx & 7) << 4) | (lck ? 1UL << 7 : 0) | ((ulong)tag << 8)
            | ((ulong)bgn << 16) | ((ulong)(mrk ?? bgn) << 32) | ((ulong)end << 48));

    public static Cap Pmp(ulong addr, byte rwx) =>
        new((ulong)CapType.Pmp | ((ulong)(rwx & 7) << 4) | ((addr & ((1UL << 48) - 1)) << 16));

    public static Cap Monitor(ushort bgn, ushort end) =>
        new((ulong)CapType.Monitor | ((ulong)bgn << 16) | ((ulong)bgn << 32) | ((ulong)end << 48));

    public static Cap Channel(ushort bgn, ushort end) =>
        new((ulong)CapType.Channel | ((ulong)bgn << 16) | ((ulong)bgn << 32) | ((ulong)end << 48));

    public static Cap Socket(ushort chan, byte mode, byte perm, uint tag) =>
        new((ulong)CapType.Socket | ((ulong)(mode & 0xf) << 4) | ((ulong)perm << 8) | ((ulong)chan << 16) | ((ulong)tag << 32));

    public override string ToString() => CapFormat.Format(this);
}
