using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;
using static Bulwark.Tests.Cpu.Asm;

namespace Bulwark.Tests.Cpu;

/// <summary>Quanta end at the instruction the interpreter's end at, however the budget falls across a
/// compiled region's basic blocks (see <see cref="BlockCompiler"/>: each block takes its length from the
/// budget on entry, after checking that the budget covers it).</summary>
public sealed class BlockBudgetTests
{
    /// <summary>A loop whose body is an if/else (a forward branch and a forward jump) and a join, run in
    /// quanta of <paramref name="quantum"/> instructions under both engines: after every quantum the
    /// block engine has retired the same instructions, and stands at the same pc with the same registers,
    /// as the interpreter.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(50)]
    [InlineData(333)]
    public void QuantaEndAtTheInterpretersInstruction(int quantum)
    {
        uint[] code =
        [
            Addi(5, 0, 1500),   // the counter
            Andi(7, 5, 1),      // loop: odd or even?
            Beq(7, 0, 16),      // even: to the else
            Addi(6, 6, 3),
            Addi(6, 6, 1),
            Jal(0, 16),         // to the join
            Addi(9, 9, 5),      // else
            Addi(9, 9, 1),
            Addi(9, 9, 2),
            Addi(8, 8, 1),      // join
            Addi(5, 5, -1),
            Bne(5, 0, -40),     // back to the loop's head
            Ecall,
        ];
        var interpreted = Quanta(code, quantum, new CpuFixture());
        var engine = new BlockEngine(threshold: 8);
        var fixture = new CpuFixture();
        fixture.Machine.Engine = engine;
        var compiled = Quanta(code, quantum, fixture);

        Assert.Equal(interpreted.Count, compiled.Count);
        for (int i = 0; i < interpreted.Count; i++) Assert.Equal(interpreted[i], compiled[i]);
        Assert.True(engine.Stats.InstructionsRunCompiled > 0, "nothing ran compiled");
    }

    /// <summary>Runs <paramref name="code"/> to its ecall in quanta; after each, the instructions retired,
    /// the pc and x5 to x9.</summary>
    private static List<string> Quanta(uint[] code, int quantum, CpuFixture f)
    {
        f.Load(code);
        var h = f.Hart0;
        var seen = new List<string>();
        for (int n = 0; n < 100_000; n++)
        {
            var stop = f.Run(budget: quantum);
            seen.Add($"{h.InstructionsRetired} pc={h.State.Pc:x} x5..x9={string.Join(",", f.X[5..10])}");
            if (stop == StopReason.Ecall) return seen;
            Assert.Equal(StopReason.BudgetExhausted, stop);
        }
        throw new InvalidOperationException("the loop did not reach its ecall");
    }
}
