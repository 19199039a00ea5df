using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>The block-translating engine: interprets cold code (see <see cref="ColdBlocks"/>), counts how
/// often each block start is entered, and compiles a start to IL once it is hot
/// (<see cref="BlockCompiler"/>), at once or on a worker thread (<see cref="CompileQueue"/>). It retires exactly the instructions the interpreter would: a region
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

    /// <summary>A start is hot before the threshold if the code from it is long (see <see cref="PageBlocks.LongCodeUnit"/>).</summary>
    public const int LongCodeUnit = PageBlocks.LongCodeUnit;

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

    private readonly CompileQueue? _queue;

    /// <summary>An entry of each region installed since the last flush, by its number (see
    /// <see cref="CompiledBlock.Region"/>).</summary>
    private readonly List<CompiledBlock> _regions = [];

    /// <param name="compileWorker">If given, regions are compiled by a worker it starts (it is given the
    /// work to run; <see cref="OnThreadPool"/> runs it on a pool thread) while the engine's thread
    /// interprets them meanwhile (see <see cref="CompileQueue"/>). If null, a start is compiled when it
    /// gets hot, so that which code runs compiled (and so the statistics) is the same on every run.</param>
    public BlockEngine(int threshold = DefaultThreshold, int cacheLimit = DefaultCacheLimit, Action<Action>? compileWorker = null)
    {
        if (compileWorker != null) _queue = new CompileQueue(compileWorker);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheLimit, 1);
        _threshold = threshold;
        _cacheLimit = cacheLimit;
    }

    public BlockEngineStats Stats { get; } = new();

    /// <summary>Starts a compile worker on a thread-pool thread (see the constructor).</summary>
    public static void OnThreadPool(Action work) => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false);

    /// <summary>With background compiling, drops the regions the worker has not started, so that a run
    /// that has ended leaves no work behind on the host (a later <see cref="Run"/> asks for them again).</summary>
    public void CancelCompiles() => _queue?.Cancel();

    public StopReason Run(Hart hart, long budget)
    {
        hart.Attention = 0;
        var state = hart.State;
        ref ulong x = ref MemoryMarshal.GetArrayDataReference(state.X);
        long left = budget;
        CompiledBlock? continued = null;
        // The links of the region that last returned by a direct exit with no block to go on into.
        RegionLinks? missedLinks = null;
        int missedLink = 0;
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
            var block = PageBlocks.InSlot(page, pc);
            if (block == null) block = Lookup(hart, page, pc, continued);
            else if (block.Pc != pc) block = null;
            if (missedLinks != null)
            {
                if (block != null) missedLinks.Targets[missedLink] = block;
                missedLinks = null;
            }
            if (block == null || block.EntryLength > left)
            {
                // The look at the worker's results is here, off the path that runs compiled code.
                if (_queue is { Outstanding: > 0 } queue && InstallCompiled(queue)) continue;
                ulong before = hart.InstructionsRetired;
                continued = null;
                var cold = new ColdBlocks(_threshold, _queue);
                var reason = Interpreter.RunBlocks(hart, left, ref cold);
                Stats.InterpretedBlocks += 1 + cold.Entered;
                left -= (long)(hart.InstructionsRetired - before);
                if (reason != StopReason.BudgetExhausted) return reason;
                continue;
            }
            long enteredWith = left;
            Stats.BlockRuns++;
            hart.RunningRegion = block.Region;
            try
            {
                state.Pc = block.Code(hart, ref x, ref left, block.Entry);
            }
            catch (GuestTrapException trap)
            {
                // The region stored its registers before the faulting instruction's call; that instruction
                // and the rest of its basic block, taken from the budget, did not retire. The region is the
                // last one entered, perhaps from another's exit.
                var sites = _regions[hart.RunningRegion].Sites;
                int site = hart.SlowAccessSite;
                state.Pc = sites.Pc(site);
                left = hart.SlowAccessLeft + sites.GiveBack(site);
                Retire(hart, enteredWith - left);
                hart.TrapCause = trap.Cause;
                hart.TrapValue = trap.Value;
                return StopReason.Trap;
            }
            // The region that returned: the last one entered.
            var last = _regions[hart.RunningRegion];
            continued = state.Pc == last.Continuation ? last : null;
            if (hart.MissedLink >= 0)
            {
                missedLinks = last.Links;
                missedLink = hart.MissedLink;
                hart.MissedLink = -1;
            }
            Retire(hart, enteredWith - left);
        }
        return StopReason.BudgetExhausted;
    }

    /// <summary>Counts what a region ran at once: an interpreted rdcycle or rdinstret next must see it.</summary>
    private void Retire(Hart hart, long instructions)
    {
        hart.InstructionsRetired += (ulong)instructions;
        Stats.InstructionsRunCompiled += instructions;
        Stats.RegionsChained += hart.RegionsChained;
        hart.RegionsChained = 0;
    }

    /// <summary>The compiled block starting at <paramref name="pc"/> when the execute TLB did not give
    /// one: through the slow look-up if <paramref name="page"/> is null, then counting this entry and
    /// compiling if it makes the start hot; null to interpret (cold, not compilable, or the pc cannot be
    /// fetched: the interpreter then raises the fault exactly as it would). A start where the region
    /// <paramref name="continued"/> left off in straight-line code is as hot as that region at once.</summary>
    private CompiledBlock? Lookup(Hart hart, DecodedPage? page, ulong pc, CompiledBlock? continued)
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
        int slot = DecodedPage.SlotOf(pc);
        var block = blocks.Compiled[slot];
        if (block != null) return block.Pc == pc ? block : null;
        // The count stays: it marks the start as run (see BlockCompiler.Scan), and after a flush the
        // start, still hot, is compiled again on its next entry.
        if (continued != null)
        {
            blocks.Entries[slot] = (ushort)Math.Max(blocks.Entries[slot], _threshold);
            return Compile(hart, page, blocks, slot, pc, continued.Warm);
        }
        if (blocks.CountColdEntry(page, slot, _threshold)) return null;
        // Warm relative to this start's own count, which may be short of the threshold (see PageBlocks.LongCodeUnit).
        return Compile(hart, page, blocks, slot, pc, Math.Max(1, Math.Min(_threshold, blocks.Entries[slot] + 1) / WarmFraction));
    }

    /// <summary>Compiles the hot start at <paramref name="slot"/> now, or asks the worker to (then null:
    /// the start runs interpreted until the region is installed); its region takes branch targets entered
    /// at least <paramref name="warm"/> times (see <see cref="BlockCompiler.Scan"/>).</summary>
    private CompiledBlock? Compile(Hart hart, DecodedPage page, PageBlocks blocks, int slot, ulong pc, int warm)
    {
        if (_queue is { Full: true }) return null;
        SortedList<ulong, DecodedInsn> insns;
        ulong continuation;
        try
        {
            insns = BlockCompiler.Scan(hart, page, blocks, pc, warm, out continuation);
        }
        catch (GuestTrapException)
        {
            // The second half of a straddling instruction could not be fetched: the interpreter will say so.
            insns = [];
            continuation = CompiledBlock.NoContinuation;
        }
        if (insns.Count == 0)
        {
            blocks.Entries[slot] = 1;
            return null;
        }
        if (_queue != null)
        {
            blocks.MarkPending(slot, insns.Keys);
            _queue.Add(new CompileQueue.Request(blocks, slot, pc, insns, continuation, warm));
            return null;
        }
        long started = Stopwatch.GetTimestamp();
        var region = BlockCompiler.Compile(pc, insns, continuation, warm);
        BlockCompiler.ForceJit(region);
        return Install(blocks, slot, pc, region, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Installs the regions the worker has finished; false if there were none.</summary>
    private bool InstallCompiled(CompileQueue queue)
    {
        bool any = false;
        while (queue.TryTake(out var done))
        {
            done.Failure?.Throw();
            var request = done.Request;
            request.Blocks.ClearPending(request.Insns.Keys);
            // Cancelled: the start, still hot, asks again on its next entry.
            if (done.Region == null) continue;
            Install(request.Blocks, request.Slot, request.Pc, done.Region, done.Took);
            any = true;
        }
        return any;
    }

    /// <summary>Makes every basic block of <paramref name="region"/> a way in, unless another region
    /// already has it; the entry at <paramref name="pc"/> replaces whatever its slot held.</summary>
    private CompiledBlock Install(PageBlocks blocks, int slot, ulong pc, CompiledRegion region, TimeSpan took)
    {
        if (Stats.BlocksInCache >= _cacheLimit) Flush();
        Stats.CompileTime += took;
        Stats.BlocksCompiled++;
        Stats.BlocksInCache++;
        Stats.InstructionsCompiled += region.Length;
        Stats.IlBytesInCache += region.IlBytes;
        if (!blocks.Listed)
        {
            blocks.Listed = true;
            _pagesWithBlocks.Add(blocks);
        }
        var entry = region.Entries.First(e => e.Pc == pc);
        foreach (var e in region.Entries)
        {
            e.Region = _regions.Count;
            ref var at = ref blocks.Compiled[DecodedPage.SlotOf(e.Pc)];
            at ??= e;
        }
        _regions.Add(entry);
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
        // No region installed before can run again: a region is entered through a page's slots, or from a
        // region of its page.
        _regions.Clear();
        Stats.BlocksInCache = 0;
        Stats.IlBytesInCache = 0;
        Stats.CacheFlushes++;
    }
}
