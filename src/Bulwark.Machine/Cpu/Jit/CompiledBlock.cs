namespace Bulwark.Machine.Cpu.Jit;

/// <summary>A compiled region's code (closed over its <see cref="RegionLinks"/>). <paramref name="x"/> is x0
/// of the register file (the region holds registers in locals and stores them back before it leaves);
/// <paramref name="left"/> is the budget, from which each basic block takes its whole length on entry,
/// giving back what it did not run when it leaves early. <paramref name="entry"/> says at which basic block
/// to start (a region is entered at any of them: see <see cref="CompiledBlock"/>). Returns the pc to go on
/// from, perhaps after going on into other regions (see <see cref="RegionExits"/>; the last one entered is
/// <see cref="Hart.RunningRegion"/>). A fault throws out of it (see <see cref="FaultSites"/>).</summary>
internal delegate ulong BlockCode(Hart hart, ref ulong x, ref long left, int entry);

/// <summary>One way into a region of one page's code compiled to IL (see <see cref="BlockCompiler"/>):
/// each basic block of a region is an entry, so a loop's blocks share one compiled region instead of
/// each compiling its own copy. Entered only at virtual address <see cref="Pc"/> (the same frame may be
/// mapped elsewhere).</summary>
internal sealed class CompiledBlock(ulong pc, int entry, int entryLength, BlockCode code, ulong continuation, int warm, int regionLength, FaultSites sites, RegionLinks links)
{
    /// <summary>An odd address: no pc.</summary>
    public const ulong NoContinuation = ulong.MaxValue;

    /// <summary>Stands in a start's slot while the worker compiles its region (see
    /// <see cref="CompileQueue"/>): its pc matches none, so the start runs interpreted meanwhile.</summary>
    public static readonly CompiledBlock Pending = new(NoContinuation, 0, int.MaxValue,
        static (Hart _, ref ulong _, ref long _, int _) => throw new InvalidOperationException("a pending region was run"), NoContinuation, 0, 0, new([], []), new(0));
    public ulong Pc { get; } = pc;
    /// <summary>How many instructions the region holds.</summary>
    public int RegionLength { get; } = regionLength;
    /// <summary>Which of the region's basic blocks this entry starts at (the code's switch).</summary>
    public int Entry { get; } = entry;
    /// <summary>The length of the entry's basic block: the least budget the region can be entered with.</summary>
    public int EntryLength { get; } = entryLength;
    public BlockCode Code { get; } = code;
    /// <summary>Where straight-line code the region had no room for (or that goes on in the next page)
    /// continues: a start reached from here is as hot as the region (see <see cref="BlockCompiler.Scan"/>).</summary>
    public ulong Continuation { get; } = continuation;
    /// <summary>The bar of warmth the region's scan took branch targets at (see <see cref="BlockCompiler.Scan"/>);
    /// its continuation's region is scanned with the same.</summary>
    public int Warm { get; } = warm;
    /// <summary>Where the region's instructions are, for a fault thrown out of its code.</summary>
    public FaultSites Sites { get; } = sites;
    /// <summary>The region's number among those installed since the code cache was last emptied, set when it
    /// is installed: a region going on into this block notes it (an int, so without a GC write barrier),
    /// and the engine finds the region by it (see <see cref="Hart.RunningRegion"/>).</summary>
    public int Region { get; set; }
    /// <summary>The blocks the region's direct exits go on into (see <see cref="RegionLinks"/>).</summary>
    public RegionLinks Links { get; } = links;
}

/// <summary>Where a region's direct exits within its page go: the compiled block at each exit's pc, once
/// the engine has found one there (<see cref="Hart.MissedLink"/>), so that the exit goes on into it
/// without a look-up. No check is needed that it is still compiled and mapped there: it is on the same
/// page as the region, so whatever drops or remaps one (a write to the page, a flush of the code cache,
/// a change of mapping) drops or remaps the other, and a region is entered only through the engine's
/// look-up or from a region of its page.</summary>
internal sealed class RegionLinks(int count)
{
    public readonly CompiledBlock?[] Targets = new CompiledBlock?[count];
}

/// <summary>A region's instructions by site (their index in the region, which a load, a store or an F/D
/// instruction passes to its helper: see <see cref="Hart.SlowAccessSite"/>): the pc, and how many
/// instructions from it to the end of its basic block, which the region has taken from the budget and which
/// a fault there did not retire.</summary>
internal sealed class FaultSites(ulong[] pcs, int[] giveBack)
{
    public ulong Pc(int site) => pcs[site];
    public int GiveBack(int site) => giveBack[site];
}

/// <summary>A compiled region: its entries, and its size for the statistics.</summary>
internal sealed record CompiledRegion(IReadOnlyList<CompiledBlock> Entries, int Length, int IlBytes);
