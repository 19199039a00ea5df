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

    /// <summary>What the slot of <paramref name="pc"/> holds on <paramref name="page"/> (null if the page is
    /// not known or has no blocks): the engine's fast look-up, and a region's exit's, are this one. The block
    /// held may start at another pc mapping the same slot's frame elsewhere: callers compare its pc.</summary>
    public static CompiledBlock? InSlot(DecodedPage? page, ulong pc) => page?.Blocks?.Compiled[DecodedPage.SlotOf(pc)];

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

    /// <summary>Counts an entry of the start at <paramref name="slot"/>, unless this entry makes it hot:
    /// true if the start stays cold. A start is hot on its <paramref name="threshold"/>-th entry, or sooner
    /// if the code from it is long (see <see cref="LongCodeUnit"/>). The engine and the interpreter running
    /// cold code for it (<see cref="ColdBlocks"/>) both count through this.</summary>
    public bool CountColdEntry(DecodedPage page, int slot, int threshold)
    {
        int entries = Entries[slot] + 1;
        if (entries >= threshold) return false;
        if (entries % LengthCheckInterval == 0 &&
            (long)entries * StraightLineLength(page, slot) >= (long)threshold * LongCodeUnit) return false;
        Entries[slot] = (ushort)entries;
        return true;
    }

    /// <summary>How often (in entries) a cold start's straight-line length is measured.</summary>
    private const int LengthCheckInterval = 32;

    /// <summary>A start whose straight-line code (see <see cref="StraightLineLength"/>) is n instructions
    /// long is hot after threshold * LongCodeUnit / n entries, if that is fewer: it has then run as many
    /// instructions interpreted as a LongCodeUnit-instruction block at the threshold. bzip2's hottest code is
    /// unrolled runs of a thousand instructions and more with rarely taken side exits, entered about 10^4
    /// times in all: compiling inline, bzip2 -9 ran 86.4% of its instructions compiled without this rule and
    /// 97.2% with it; compiling in the background, it took 0.88 to 0.97 times the time (in-process A/B, 9
    /// rounds, three times), the other speed workloads within noise.</summary>
    public const int LongCodeUnit = 16;

    /// <summary>The instructions from <paramref name="slot"/> on, through conditional branches' fall-through
    /// paths, up to the first jump, instruction a region cannot hold, not yet decoded slot, or the page's end.</summary>
    private static int StraightLineLength(DecodedPage page, int slot)
    {
        int n = 0;
        while (slot < DecodedPage.SlotCount)
        {
            ref var d = ref page.Slots[slot];
            if (d.Op is Op.Undecoded or Op.Jal or Op.Jalr || !BlockCompiler.Compilable(d.Op)) break;
            n++;
            slot += d.Length >> 1;
        }
        return n;
    }
}
