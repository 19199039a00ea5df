using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;
using static Bulwark.Tests.Cpu.Asm;

namespace Bulwark.Tests.Cpu;

/// <summary>Regions going on into each other without the engine (see <see cref="RegionExits"/>): through
/// links for direct exits on the same page, by look-up for jalr. Each program runs under the interpreter
/// and the block engine, which must agree on registers, pc and instructions retired.</summary>
public sealed class BlockChainingTests
{
    private const int Threshold = 8;
    private const long Budget = 100_000_000;

    /// <summary>A loop whose body is straight-line code three regions long: each region goes on into the
    /// next through a link, and the last back into the first, so after warming up the engine enters a
    /// region a handful of times while the loop runs 100,000 times. Going on is a tail call: were it a
    /// call, 300,000 nested frames would overflow the stack (RyuJIT makes these tail calls even without
    /// the IL's tail prefix, so this shows that the stack stays flat rather than that the prefix is there).</summary>
    [Fact]
    public void ALoopThreeRegionsLongRunsAsOneChainOfLinks()
    {
        const int body = 2 * BlockEngine.MaxRegionLength + 44, iterations = 100_000;
        var code = new List<uint> { Lui(5, iterations >> 12), Addi(5, 5, iterations & 0xfff) };
        code.AddRange(Enumerable.Repeat(Addi(6, 6, 1), body));
        code.Add(Addi(5, 5, -1));
        code.Add(Bne(5, 0, -4 * (body + 1)));
        code.Add(Ecall);

        var (jit, engine) = RunBoth([.. code], f => f.RunToEcall(budget: Budget));

        Assert.Equal((ulong)body * iterations, jit.X[6]);
        Assert.True(engine.Stats.RegionsChained >= 3L * (iterations - 2 * Threshold),
            $"{engine.Stats.RegionsChained} regions entered from another, {engine.Stats.BlockRuns} by the engine");
        Assert.True(engine.Stats.BlockRuns < 10, $"the engine entered regions {engine.Stats.BlockRuns} times");
    }

    /// <summary>A loop calling a function through jalr, which returns through jalr: neither target is a
    /// constant, so each goes on by looking the next region up.</summary>
    [Fact]
    public void JalrGoesOnIntoTheRegionCompiledAtItsTarget()
    {
        const int iterations = 1000;
        uint[] code =
        [
            Addi(5, 0, iterations),
            Auipc(7, 0),
            Addi(7, 7, 6 * 4),  // x7 = the function
            Jalr(1, 7, 0),      // loop: call it
            Addi(5, 5, -1),
            Bne(5, 0, -8),
            Ecall,
            Addi(6, 6, 1),      // the function
            Jalr(0, 1, 0),
        ];

        var (jit, engine) = RunBoth(code, f => f.RunToEcall());

        Assert.Equal((ulong)iterations, jit.X[6]);
        Assert.True(engine.Stats.RegionsChained >= 2L * (iterations - Threshold),
            $"{engine.Stats.RegionsChained} regions entered from another, {engine.Stats.BlockRuns} by the engine");
    }

    /// <summary>A load in the second region of a chained loop walks off the end of the data page: the
    /// fault is reported at that load, in the region the chain had gone on into, not the one the engine
    /// entered, with the instructions before it retired and the rest of its basic block not.</summary>
    [Fact]
    public void AFaultInARegionEnteredFromAnotherStopsAtItsInstruction()
    {
        const int body = BlockEngine.MaxRegionLength + 12, walk = 100;
        var code = new List<uint>
        {
            Addi(5, 0, 2 * walk),
            Lui(8, (uint)(CpuFixture.DataVa >> 12)),
            Addi(8, 8, 2000),
            Addi(8, 8, CpuFixture.PageSize - 8 * walk - 2000), // x8: walk doublewords before the page's end
        };
        code.AddRange(Enumerable.Repeat(Addi(6, 6, 1), body));
        int load = code.Count;
        code.Add(Ld(9, 8, 0));
        code.Add(Addi(8, 8, 8));
        code.Add(Addi(5, 5, -1));
        code.Add(Bne(5, 0, -4 * (body + 3)));
        code.Add(Ecall);

        var (jit, engine) = RunBoth([.. code], f => f.RunToTrap(TrapCause.LoadPageFault, budget: Budget));

        Assert.Equal(CpuFixture.CodeVa + 4 * (ulong)load, jit.State.Pc);
        Assert.Equal(CpuFixture.UnmappedVa, jit.Hart0.TrapValue);
        Assert.Equal((ulong)body * (walk + 1), jit.X[6]);
        Assert.True(engine.Stats.RegionsChained > walk, $"{engine.Stats.RegionsChained} regions entered from another");
    }

    /// <summary>A loop two regions long that every 50 iterations takes a side trip two regions long,
    /// with a code cache of two regions: installing a region empties the cache again and again, while
    /// between side trips the loop's regions, compiled again, link and chain. Links made before a flush
    /// lead into regions no slot holds any more, entered only from regions of their own flushed
    /// generation, and region numbers start again at each flush; the run must still agree with the
    /// interpreter.</summary>
    [Fact]
    public void ChainingSurvivesTheCodeCacheBeingEmptied()
    {
        const int cacheLimit = 2;
        const int body = BlockEngine.MaxRegionLength + 12, side = BlockEngine.MaxRegionLength + 12, iterations = 2000, every = 50;
        var code = new List<uint> { Addi(5, 0, iterations), Addi(7, 0, every) };
        int loop = code.Count;
        code.AddRange(Enumerable.Repeat(Addi(6, 6, 1), body));
        code.Add(Addi(7, 7, -1));
        code.Add(Bne(7, 0, 8));                 // no side trip yet: on to skip
        int toSide = code.Count;
        code.Add(0);                            // jal x0, side (patched below)
        int skip = code.Count;
        code.Add(Addi(5, 5, -1));
        code.Add(Bne(5, 0, 4 * (loop - code.Count)));
        code.Add(Ecall);
        int sideStart = code.Count;
        code.AddRange(Enumerable.Repeat(Addi(8, 8, 1), side));
        code.Add(Addi(7, 0, every));
        code.Add(Jal(0, 4 * (skip - code.Count)));
        code[toSide] = Jal(0, 4 * (sideStart - toSide));

        var (jit, engine) = RunBoth([.. code], f => f.RunToEcall(budget: Budget), new BlockEngine(threshold: Threshold, cacheLimit: cacheLimit));

        Assert.Equal((ulong)body * iterations, jit.X[6]);
        Assert.Equal((ulong)side * (iterations / every), jit.X[8]);
        Assert.True(engine.Stats.CacheFlushes >= 10, $"{engine.Stats.CacheFlushes} cache flushes");
        Assert.True(engine.Stats.RegionsChained >= iterations / 2, $"{engine.Stats.RegionsChained} regions entered from another");
    }

    /// <summary>Runs <paramref name="code"/> under the interpreter and the block engine (stopping as
    /// <paramref name="run"/> expects); both must end with the same registers, pc, trap value and
    /// instructions retired. Returns the block engine's fixture.</summary>
    private static (CpuFixture Jit, BlockEngine Engine) RunBoth(uint[] code, Action<CpuFixture> run, BlockEngine? engine = null)
    {
        var interpreted = new CpuFixture();
        interpreted.Load(code);
        run(interpreted);

        var compiled = new CpuFixture();
        engine ??= new BlockEngine(threshold: Threshold);
        compiled.Machine.Engine = engine;
        compiled.Load(code);
        run(compiled);

        Assert.Equal(interpreted.X, compiled.X);
        Assert.Equal(interpreted.State.Pc, compiled.State.Pc);
        Assert.Equal(interpreted.Hart0.TrapValue, compiled.Hart0.TrapValue);
        Assert.Equal(interpreted.Hart0.InstructionsRetired, compiled.Hart0.InstructionsRetired);
        return (compiled, engine);
    }
}
