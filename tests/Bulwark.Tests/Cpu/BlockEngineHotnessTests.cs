using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;
using static Bulwark.Tests.Cpu.Asm;

namespace Bulwark.Tests.Cpu;

/// <summary>Which code the block engine compiles, and when.</summary>
public sealed class BlockEngineHotnessTests
{
    private const int Threshold = 8;

    /// <summary>A loop whose body is straight-line code three regions long: once its head is hot, each
    /// region's continuation is as hot as the head and compiles on its first reach from the region, so
    /// the whole body runs compiled after <see cref="Threshold"/> iterations (counted on their own, the
    /// third part would need 3 × 8 iterations, more than the loop runs).</summary>
    [Fact]
    public void StraightLineCodeLongerThanARegionCompilesWhenItsHeadDoes()
    {
        const int body = 2 * BlockEngine.MaxRegionLength + 44, iterations = 20;
        var f = new CpuFixture();
        var engine = new BlockEngine(threshold: Threshold);
        f.Machine.Engine = engine;
        var code = new List<uint> { Addi(5, 0, iterations) };
        code.AddRange(Enumerable.Repeat(Addi(6, 6, 1), body));
        code.Add(Addi(5, 5, -1));
        code.Add(Bne(5, 0, -4 * (body + 1)));
        code.Add(Ecall);
        f.Load([.. code]);

        f.RunToEcall();

        Assert.Equal((ulong)(body * iterations), f.X[6]);
        Assert.True(engine.Stats.InstructionsCompiled >= body + 2,
            $"compiled {engine.Stats.InstructionsCompiled} instructions in {engine.Stats.BlocksCompiled} regions; the loop has {body + 2}");
        // Iterations 1 to Threshold - 1 run interpreted, from the Threshold-th on the body runs compiled.
        long compiledAtLeast = (long)(iterations - Threshold) * (body + 2) - (body + 2);
        Assert.True(engine.Stats.InstructionsRunCompiled >= compiledAtLeast,
            $"{engine.Stats.InstructionsRunCompiled} instructions ran compiled, expected at least {compiledAtLeast}");
    }

    /// <summary>A hot start whose code jumps into another region's entry leaves for that region instead
    /// of compiling its code a second time, unless the two are small together: a loop L (body + 2
    /// instructions) is compiled first, then a stub M of 2 instructions that jumps to L gets hot. M's
    /// region holds its own 2 instructions, or those and a copy of L's if that keeps it within
    /// <see cref="BlockEngine.AbsorbLimit"/>.</summary>
    [Theory]
    [InlineData(50)]
    [InlineData(BlockEngine.AbsorbLimit - 4)]
    public void ARegionLeavesForAnotherRegionsEntryInsteadOfCopyingIt(int body)
    {
        const int iterations = 20;
        var f = new CpuFixture();
        var engine = new BlockEngine(threshold: Threshold);
        f.Machine.Engine = engine;
        var code = new List<uint> { Addi(5, 0, iterations) };
        ulong loop = CpuFixture.CodeVa + 4;
        code.AddRange(Enumerable.Repeat(Addi(6, 6, 1), body));
        code.Add(Addi(5, 5, -1));
        code.Add(Bne(5, 0, -4 * (body + 1)));
        code.Add(Ecall);
        ulong stub = CpuFixture.CodeVa + 4 * (ulong)code.Count;
        code.Add(Addi(5, 0, 1));
        code.Add(Jal(0, (int)((long)loop - (long)(stub + 4))));
        f.Load([.. code]);

        f.RunToEcall();
        for (int i = 0; i < iterations; i++)
        {
            f.State.Pc = stub;
            f.RunToEcall();
        }

        Assert.Equal((ulong)(2 * body * iterations), f.X[6]);
        Assert.Equal(2, engine.Stats.BlocksCompiled);
        bool copied = 2 + (body + 2) <= BlockEngine.AbsorbLimit;
        Assert.Equal(body + 2 + 2 + (copied ? body + 2 : 0), engine.Stats.InstructionsCompiled);
    }

    /// <summary>A start is hot before the threshold if the code from it is long: a loop whose body is
    /// <paramref name="body"/> instructions of straight-line code (with never-taken side exits every 20,
    /// as unrolled code has) gets hot after threshold × <see cref="BlockEngine.LongCodeUnit"/> / its length
    /// entries (rounded up to the 32 between length checks), and its region then holds the whole body,
    /// the side exits' fall-through paths included; a short body waits for the threshold.</summary>
    [Theory]
    [InlineData(200, true)]
    [InlineData(12, false)]
    public void LongStraightLineCodeIsHotBeforeTheThreshold(int body, bool early)
    {
        const int threshold = 4000, iterations = 500;
        var f = new CpuFixture();
        var engine = new BlockEngine(threshold);
        f.Machine.Engine = engine;
        var code = new List<uint> { Addi(5, 0, iterations) };
        for (int i = 0; i < body; i++)
            code.Add(i % 20 == 19 ? Bne(0, 0, 8) : Addi(6, 6, 1));
        code.Add(Addi(5, 5, -1));
        code.Add(Bne(5, 0, -4 * (body + 1)));
        code.Add(Ecall);
        f.Load([.. code]);

        f.RunToEcall(budget: 1_000_000);

        int length = body + 2, adds = body - body / 20;
        Assert.Equal((ulong)(adds * iterations), f.X[6]);
        if (!early)
        {
            Assert.Equal(0, engine.Stats.InstructionsRunCompiled);
            return;
        }
        int hotAfter = (threshold * BlockEngine.LongCodeUnit / length + 31) / 32 * 32;
        long compiledAtLeast = (long)(iterations - hotAfter - 1) * length;
        Assert.True(engine.Stats.InstructionsRunCompiled >= compiledAtLeast,
            $"{engine.Stats.InstructionsRunCompiled} instructions ran compiled, expected at least {compiledAtLeast} (hot after {hotAfter} of {iterations} iterations); {engine.Stats.BlocksCompiled} regions, {engine.Stats.InstructionsCompiled} instructions, {engine.Stats.BlockRuns} runs");
    }
}
