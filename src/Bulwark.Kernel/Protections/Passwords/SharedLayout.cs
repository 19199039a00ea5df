namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>Where the shared part lives in every process's Sv39 user space (below 2^38), between the
/// private heap (brk stays below 0x10_0010_0000 + 64 GiB) and the mmap area (which grows down from
/// just under the stack, 0x3f_eeff_0000): the whole range is reserved in every address space, so no
/// private mapping lands in it, whatever the mode.</summary>
public static class SharedLayout
{
    /// <summary>Segments (and statistical aliases) are placed in [SharedBase, SharedBase + 2^MaxAddressBits).</summary>
    public const ulong SharedBase = 0x20_0000_0000UL;
    public const int MaxAddressBits = 36;
    public const int MinAddressBits = 14;
    public const ulong SharedEnd = SharedBase + (1UL << MaxAddressBits);

    /// <summary>The canonical section (password-table mode): the slot of segment s and kind k is at
    /// SectionBase + (s * 4 + k) * 16 in every process, so a handle means the same slot everywhere;
    /// its contents are per process (only granted slots hold a password) and no user access reaches it.</summary>
    public const ulong SectionBase = 0x30_0000_0000UL;
    public const ulong SectionEnd = 0x30_4000_0000UL;
    public const int SlotSize = 16, SlotsPerSegment = 4;

    /// <summary>The fallback's page-id map: 4 bytes per page of the whole user space, entry i for the page
    /// at i * 4096, read-only to the user; parts that describe no segment page are the shared zero page.</summary>
    public const ulong PageIdMapBase = 0x31_0000_0000UL;
    public const ulong PageIdMapEnd = PageIdMapBase + (1UL << 38) / 4096 * 4;

    public const ulong ReservedStart = SharedBase, ReservedEnd = PageIdMapEnd;

    public static bool InShared(ulong va) => va - SharedBase < SharedEnd - SharedBase;
    public static bool InReserved(ulong va) => va - ReservedStart < ReservedEnd - ReservedStart;
    public static bool InPageIdMap(ulong va) => va - PageIdMapBase < PageIdMapEnd - PageIdMapBase;

    public static ulong SlotAddress(int segment, PasswordKind kind) =>
        SectionBase + ((ulong)segment * SlotsPerSegment + (ulong)kind) * SlotSize;

    /// <summary>The segment and kind of a slot address, or false if it is no slot.</summary>
    public static bool TryDecodeSlot(ulong address, out int segment, out PasswordKind kind)
    {
        segment = 0;
        kind = 0;
        if (address - SectionBase >= SectionEnd - SectionBase || (address & (SlotSize - 1)) != 0) return false;
        ulong slot = (address - SectionBase) / SlotSize;
        segment = (int)(slot / SlotsPerSegment);
        kind = (PasswordKind)(slot % SlotsPerSegment);
        return kind <= PasswordKind.Execute;
    }
}
