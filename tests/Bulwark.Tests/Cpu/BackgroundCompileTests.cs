using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;
using static Bulwark.Tests.Cpu.Asm;

namespace Bulwark.Tests.Cpu;

/// <summary>The block engine compiling on a worker: a hot start runs interpreted until its region is
/// installed, at the engine's next look after the worker finished it, and a region compiled from code
/// that has been written since is never run. The worker here is run by the test, on its own thread, at
/// the point the host's timing could otherwise have chosen.</summary>
public sealed class BackgroundCompileTests
{
    private const int Iterations = 50;

    /// <summary>Workers the engine started, run when the test says.</summary>
    private readonly List<Action> _workers = [];

    private void RunWorkers()
    {
        foreach (var work in _workers) work();
        _workers.Clear();
    }

    /// <summary>x5 counts down from <see cref="Iterations"/>, x6 += 1 each time; then ecall. The loop's
    /// head is the first instruction, so its first entry (threshold 1) asks for the region starting there.</summary>
    private (CpuFixture Fixture, BlockEngine Engine) Loop(bool writableCode = false)
    {
        var f = new CpuFixture(writableCode: writableCode);
        var engine = new BlockEngine(threshold: 1, compileWorker: _workers.Add);
        f.Machine.Engine = engine;
        f.Load(
            Addi(6, 6, 1),           // 0x00: loop
            Addi(5, 5, -1),          // 0x04
            Bne(5, 0, -8),           // 0x08
            Ecall);                  // 0x0c
        f.X[5] = Iterations;
        return (f, engine);
    }

    [Fact]
    public void AHotStartRunsInterpretedUntilItsRegionIsInstalledThenCompiled()
    {
        var (f, engine) = Loop();
        // Two iterations: the loop's head is asked for on its first entry; the worker has not run.
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 2 * 3));
        Assert.Single(_workers);
        Assert.Equal(0, engine.Stats.InstructionsRunCompiled);
        RunWorkers();
        f.RunToEcall();
        Assert.Equal((ulong)Iterations, f.X[6]);
        Assert.Equal((ulong)(Iterations * 3 + 1), f.Hart0.InstructionsRetired);
        Assert.Equal(1, engine.Stats.BlocksCompiled);
        // Installed at the engine's first look: the other 48 iterations run compiled.
        Assert.Equal((Iterations - 2) * 3, engine.Stats.InstructionsRunCompiled);
    }

    /// <summary>The loop's region is compiled from its first instruction x6 += 1; before it is installed,
    /// that instruction is overwritten (by a write from outside the hart, as DMA or the kernel would) with
    /// x6 += 100. The region compiled from the old code must not be the one that runs.</summary>
    [Fact]
    public void ARegionCompiledFromCodeWrittenSinceIsNeverRun()
    {
        var (f, _) = Loop(writableCode: true);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 2 * 3));
        RunWorkers();
        Assert.Equal(2UL, f.X[6]);
        f.Machine.Memory.Write((ulong)f.CodePfn << 12, BitConverter.GetBytes(Addi(6, 6, 100)));

        f.RunToEcall();

        Assert.Equal(2UL + (Iterations - 2) * 100UL, f.X[6]);
    }

    /// <summary>A request dropped before the worker reached it (<see cref="BlockEngine.CancelCompiles"/>,
    /// as at the end of a run) leaves its start hot, not stuck: the engine run again asks for it again.</summary>
    [Fact]
    public void ACancelledRequestIsAskedForAgainOnTheNextRun()
    {
        var (f, engine) = Loop();
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 2 * 3));
        engine.CancelCompiles();
        RunWorkers();
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 2 * 3));
        Assert.Equal(0, engine.Stats.BlocksCompiled);
        Assert.Single(_workers);
        RunWorkers();
        f.RunToEcall();
        Assert.Equal((ulong)Iterations, f.X[6]);
        Assert.Equal(1, engine.Stats.BlocksCompiled);
        Assert.Equal((Iterations - 4) * 3, engine.Stats.InstructionsRunCompiled);
    }
}
