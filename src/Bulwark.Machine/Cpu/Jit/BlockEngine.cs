using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>The block-translating engine: interprets cold code (see <see cref="ColdBlocks"/>), counts how
/// often each block start is entered, and compiles a start to IL once it is hot
/// (<see cref="BlockCompiler"/>). It retires exactly the instructions the interpreter would: a region
/// runs a basic block only when the budget covers all of it (else it leaves, and the interpreter runs
/// the rest), a fault leaves the pc and the count at the faulting instruction, and a store that changes
/// code or reaches a device ends the region after it, as the interpreter looks again after such a store.</summary>
public sealed class BlockEngine : IExecutionEngine
{
    /// <summary>Entries of a block start before it is compiled. Compiling costs RyuJIT about 20 µs per
    /// guest instruction (measured: see the README's engine section), which the interpreter spends on
    /// thousands of instructions. Against 4000, thresholds of 2000 and 8000 timed within the noise on the
    /// real programs of bench/guests/speed.txt (in-process, runs interleaved).</summary>
    public const int DefaultThreshold = 4000;

    /// <summary>The most instructions one region holds (see <see cref="BlockCompiler.MaxLength"/>).</summary>
    public const int MaxRegionLength = BlockCompiler.MaxLength;

    /// <summary>Up to how many instructions two regions together make one copy the other's code rather
    /// than leave for it (see <see cref="BlockCompiler.AbsorbLimit"/>).</summary>
    public const int AbsorbLimit = BlockCompiler.AbsorbLimit;

    /// <summary>Compiled blocks kept before the cache is emptied and filling starts again; what
    /// DynamicMethods cost is freed by the GC once no page refers to them.</summary>
    public const int DefaultCacheLimit = 4096;

    /// <summary>A branch target joins a region when entered at least 1/WarmFraction as often as the
    /// threshold (see <see cref="BlockCompiler.Scan"/>).</summary>
    private const int WarmFraction = 8;

    private readonly int _threshold;
    private readonly int _cacheLimit;
    /// <summary>The pages holding compiled blocks since the last flush (some perhaps dropped since,
    /// which the flush then frees for the GC); at most one entry per compiled block.</summary>
    private readonly List<PageBlocks> _pagesWithBlocks = [];

    public BlockEngine(int threshold = DefaultThreshold, int cacheLimit = DefaultCacheLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheLimit, 1);
        _threshold = threshold;
        _cacheLimit = cacheLimit;
    }

    public BlockEngineStats Stats { get; } = new();

    public StopReason Run(Hart hart, long budget)
    {
        hart.Attention = 0;
        var state = hart.State;
        ref ulong x = ref MemoryMarshal.GetArrayDataReference(state.X);
        long left = budget;
        bool continuing = false;
        while (left > 0)
        {
            if (hart.Attention != 0)
            {
                if ((hart.Attention & Hart.AttentionReturn) != 0)
                {
                    hart.Attention = 0;
                    return StopReason.Yield;
                }
                hart.Attention = 0;
            }
            ulong pc = state.Pc;
            var page = hart.CachedCodePage(pc);
            var block = page?.Blocks?.Compiled[(int)(pc & 0xfff) >> 1];
            if (block == null) block = Lookup(hart, page, pc, continuing);
            else if (block.Pc != pc) block = null;
            if (block == null || block.EntryLength > left)
            {
                ulong before = hart.InstructionsRetired;
                continuing = false;
                var cold = new ColdBlocks(_threshold);
                var reason = Interpreter.RunBlocks(hart, left, ref cold);
                Stats.InterpretedBlocks += 1 + cold.Entered;
                left -= (long)(hart.InstructionsRetired - before);
                if (reason != StopReason.BudgetExhausted) return reason;
                continue;
            }
            long enteredWith = left;
            Stats.BlockRuns++;
            state.Pc = block.Code(hart, ref x, ref left, block.Entry);
            continuing = state.Pc == block.Continuation;
            // Counted at once: an interpreted rdcycle or rdinstret next must see them.
            hart.InstructionsRetired += (ulong)(enteredWith - left);
            Stats.InstructionsRunCompiled += enteredWith - left;
            if (hart.BlockFaulted)
            {
                // The region left at the faulting instruction; its cause and value are set.
                hart.BlockFaulted = false;
                return StopReason.Trap;
            }
        }
        return StopReason.BudgetExhausted;
    }

    /// <summary>The compiled block starting at <paramref name="pc"/> when the execute TLB did not give
    /// one: through the slow look-up if <paramref name="page"/> is null, then counting this entry and
    /// compiling if it makes the start hot; null to interpret (cold, not compilable, or the pc cannot be
    /// fetched: the interpreter then raises the fault exactly as it would). A start that
    /// <paramref name="continues"/> a region's straight-line code is hot at once.</summary>
    private CompiledBlock? Lookup(Hart hart, DecodedPage? page, ulong pc, bool continues)
    {
        if (page == null)
        {
            try
            {
                page = hart.CodePage(pc);
            }
            catch (GuestTrapException)
            {
                return null;
            }
        }
        var blocks = page.Blocks ??= new PageBlocks();
        int slot = (int)(pc & 0xfff) >> 1;
        var block = blocks.Compiled[slot];
        if (block != null) return block.Pc == pc ? block : null;
        if (continues) blocks.Entries[slot] = (ushort)Math.Max(blocks.Entries[slot], _threshold);
        else if (blocks.CountColdEntry(slot, _threshold)) return null;
        // The count stays: it marks the start as run (see BlockCompiler.Scan), and after a flush the
        // start, still hot, is compiled again on its next entry.
        var compiled = Compile(hart, page, blocks, slot, pc);
        if (compiled == null) blocks.Entries[slot] = 1;
        return compiled;
    }

    private CompiledBlock? Compile(Hart hart, DecodedPage page, PageBlocks blocks, int slot, ulong pc)
    {
        SortedList<ulong, DecodedInsn> insns;
        ulong continuation;
        try
        {
            insns = BlockCompiler.Scan(hart, page, blocks, pc, Math.Max(1, _threshold / WarmFraction), out continuation);
        }
        catch (GuestTrapException)
        {
            // The second half of a straddling instruction could not be fetched: the interpreter will say so.
            return null;
        }
        if (insns.Count == 0) return null;
        if (Stats.BlocksInCache >= _cacheLimit) Flush();
        long started = Stopwatch.GetTimestamp();
        var region = BlockCompiler.Compile(pc, insns, continuation);
        var entry = region.Entries.First(e => e.Pc == pc);
        // Force the JIT now, so its time is counted here: with no budget the region returns at once.
        long none = 0;
        entry.Code(hart, ref MemoryMarshal.GetArrayDataReference(hart.State.X), ref none, entry.Entry);
        Stats.CompileTime += Stopwatch.GetElapsedTime(started);
        Stats.BlocksCompiled++;
        Stats.BlocksInCache++;
        Stats.InstructionsCompiled += region.Length;
        Stats.IlBytesInCache += region.IlBytes;
        if (!blocks.Listed)
        {
            blocks.Listed = true;
            _pagesWithBlocks.Add(blocks);
        }
        // Every basic block of the region is a way in, unless another region already has it.
        foreach (var e in region.Entries)
        {
            ref var at = ref blocks.Compiled[(int)(e.Pc & 0xfff) >> 1];
            at ??= e;
        }
        blocks.Compiled[slot] = entry;
        return entry;
    }

    private void Flush()
    {
        foreach (var blocks in _pagesWithBlocks)
        {
            Array.Clear(blocks.Compiled);
            blocks.Listed = false;
        }
        _pagesWithBlocks.Clear();
        Stats.BlocksInCache = 0;
        Stats.IlBytesInCache = 0;
        Stats.CacheFlushes++;
    }
}
