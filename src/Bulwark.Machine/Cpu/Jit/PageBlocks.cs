namespace Bulwark.Machine.Cpu.Jit;

/// <summary>One decoded page's compiled blocks and the entry counts of its not-yet-compiled ones, by
/// slot (2-byte offset). Lives on the <see cref="DecodedPage"/>, so whatever drops decoded code (a write
/// to the page, fence.i, the frame being freed) drops the blocks with it.</summary>
internal sealed class PageBlocks
{
    public readonly CompiledBlock?[] Compiled = new CompiledBlock?[DecodedPage.SlotCount];
    public readonly ushort[] Entries = new ushort[DecodedPage.SlotCount];
    /// <summary>Whether the engine's list of pages to empty on a cache flush has this one.</summary>
    public bool Listed;

    /// <summary>Counts an entry of the start at <paramref name="slot"/>, unless this entry is the one that
    /// makes it hot (its <paramref name="threshold"/>-th): true if the start stays cold. The engine and
    /// the interpreter running cold code for it (<see cref="ColdBlocks"/>) both count through this.</summary>
    public bool CountColdEntry(int slot, int threshold)
    {
        if (Entries[slot] + 1 >= threshold) return false;
        Entries[slot]++;
        return true;
    }
}
