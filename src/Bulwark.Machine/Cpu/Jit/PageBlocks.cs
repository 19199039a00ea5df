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

    /// <summary>Marks a region the worker is to compile: its start at <paramref name="slot"/>, and every other
    /// instruction of it (<paramref name="pcs"/>) that no region has, are <see cref="CompiledBlock.Pending"/>,
    /// so that starts entered meanwhile run interpreted instead of asking for overlapping regions.</summary>
    public void MarkPending(int slot, IEnumerable<ulong> pcs)
    {
        foreach (ulong pc in pcs) Compiled[DecodedPage.SlotOf(pc)] ??= CompiledBlock.Pending;
        Compiled[slot] = CompiledBlock.Pending;
    }

    /// <summary>Undoes <see cref="MarkPending"/> once the worker has answered (a region installed then
    /// takes the slots it is a way in at).</summary>
    public void ClearPending(IEnumerable<ulong> pcs)
    {
        foreach (ulong pc in pcs)
        {
            ref var at = ref Compiled[DecodedPage.SlotOf(pc)];
            if (at == CompiledBlock.Pending) at = null;
        }
    }

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
