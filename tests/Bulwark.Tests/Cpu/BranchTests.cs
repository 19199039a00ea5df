using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>Conditional branches and JAL/JALR (unprivileged ISA, section 2.5 "Control Transfer
/// Instructions"): offsets are relative to the branch's own address, JAL/JALR write pc+4 to rd, and
/// JALR clears bit 0 of rs1+imm.</summary>
public abstract class BranchTests(EngineKind engine)
{

    public enum Cond { Beq, Bne, Blt, Bge, Bltu, Bgeu }

    private static uint Encode(Cond c, int rs1, int rs2, int off) => c switch
    {
        Cond.Beq => Beq(rs1, rs2, off),
        Cond.Bne => Bne(rs1, rs2, off),
        Cond.Blt => Blt(rs1, rs2, off),
        Cond.Bge => Bge(rs1, rs2, off),
        Cond.Bltu => Bltu(rs1, rs2, off),
        _ => Bgeu(rs1, rs2, off),
    };

    [Theory]
    [InlineData(Cond.Beq, 5L, 5L, true)]
    [InlineData(Cond.Beq, 5L, 6L, false)]
    [InlineData(Cond.Beq, -1L, 0xffff_ffffL, false)] // differs above bit 31
    [InlineData(Cond.Bne, 5L, 6L, true)]
    [InlineData(Cond.Bne, 5L, 5L, false)]
    [InlineData(Cond.Blt, -1L, 1L, true)]
    [InlineData(Cond.Blt, 1L, -1L, false)]
    [InlineData(Cond.Blt, 5L, 5L, false)]
    [InlineData(Cond.Blt, long.MinValue, long.MaxValue, true)]
    [InlineData(Cond.Bge, 1L, -1L, true)]
    [InlineData(Cond.Bge, 5L, 5L, true)]
    [InlineData(Cond.Bge, -1L, 1L, false)]
    [InlineData(Cond.Bltu, -1L, 1L, false)]   // 2^64-1 is not below 1
    [InlineData(Cond.Bltu, 1L, -1L, true)]
    [InlineData(Cond.Bltu, 5L, 5L, false)]
    [InlineData(Cond.Bgeu, -1L, 1L, true)]
    [InlineData(Cond.Bgeu, 1L, -1L, false)]
    [InlineData(Cond.Bgeu, 5L, 5L, true)]
    [InlineData(Cond.Bgeu, long.MinValue, long.MaxValue, true)]
    public void ForwardBranch(Cond cond, long a, long b, bool taken)
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Encode(cond, 1, 2, 8),  // 0x10000: skip the marker if taken
            Addi(3, 0, 1),          // 0x10004: marker: not taken
            Ecall);                 // 0x10008
        f.X[1] = (ulong)a;
        f.X[2] = (ulong)b;
        f.RunToEcall();
        Assert.Equal(taken ? 0UL : 1UL, f.X[3]);
        Assert.Equal(CodeVa + 8, f.State.Pc);
    }

    [Fact]
    public void BackwardBranch_Loops()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Addi(1, 0, 5),          // 0x00
            Addi(2, 2, 1),          // 0x04  <-+
            Addi(1, 1, -1),         // 0x08    |
            Bne(1, 0, -8),          // 0x0c  --+
            Bltu(0, 1, -12),        // 0x10  not taken (0 < 0 is false)
            Ecall);                 // 0x14
        f.RunToEcall();
        Assert.Equal(5UL, f.X[2]);
        Assert.Equal(0UL, f.X[1]);
        Assert.Equal(CodeVa + 0x14, f.State.Pc);
    }

    [Fact]
    public void FarBackwardBranch_AcrossTheWholeRange()
    {
        // bge at 0x10ffc back by -4092 to 0x10000: x1 counts the passes.
        var f = new CpuFixture(engine: engine);
        f.Load(Addi(1, 1, 1), Jal(0, 0xff8));           // 0x10000, 0x10004 -> 0x10ffc
        f.LoadAt(CodeVa + 0xffc, Bge(2, 1, -0xffc));       // 0x10ffc: while (x1 <= x2) goto 0x10000
        f.X[2] = 2;
        // Passes: x1=1 (taken), x1=2 (taken), x1=3 (not taken) -> falls through into the next page.
        var stop = f.Run();
        Assert.Equal(StopReason.Trap, stop);
        Assert.Equal(TrapCause.InstructionPageFault, f.Hart0.TrapCause);
        Assert.Equal(CodeVa + 0x1000, f.Hart0.TrapValue);
        Assert.Equal(3UL, f.X[1]);
    }

    [Fact]
    public void Jal_Jalr_LinkValues()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Jal(1, 12),             // 0x00: x1 = 0x10004, -> 0x0c
            Addi(5, 0, 1),          // 0x04
            Ecall,                  // 0x08
            Addi(6, 0, 2),          // 0x0c
            Jalr(7, 1, 0));         // 0x10: x7 = 0x10014, -> 0x10004
        f.RunToEcall();
        Assert.Equal(CodeVa + 4, f.X[1]);
        Assert.Equal(CodeVa + 0x14, f.X[7]);
        Assert.Equal(1UL, f.X[5]);
        Assert.Equal(2UL, f.X[6]);
        Assert.Equal(CodeVa + 8, f.State.Pc);
    }

    [Fact]
    public void Jal_Backward()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Jal(0, 12),             // 0x00 -> 0x0c
            Ecall,                  // 0x04
            Ebreak,                 // 0x08
            Jal(1, -8));            // 0x0c -> 0x04, x1 = 0x10010
        f.RunToEcall();
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(CodeVa + 0x10, f.X[1]);
    }

    [Fact]
    public void Jalr_ClearsBit0OfTarget()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Jalr(2, 1, 3),          // 0x00: 0x10006 + 3 = 0x10009 -> 0x10008
            Addi(5, 0, 1),          // 0x04
            Ecall);                 // 0x08
        f.X[1] = CodeVa + 6;
        f.RunToEcall();
        Assert.Equal(CodeVa + 8, f.State.Pc);
        Assert.Equal(0UL, f.X[5]);
        Assert.Equal(CodeVa + 4, f.X[2]);
    }

    [Fact]
    public void Jalr_NegativeImmediate()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Jalr(0, 1, -8), Ebreak, Ecall);
        f.X[1] = CodeVa + 0x10;     // 0x10010 - 8 = 0x10008
        f.RunToEcall();
        Assert.Equal(CodeVa + 8, f.State.Pc);
        Assert.Equal(CodeVa + 0x10, f.X[1]);
    }

    [Fact]
    public void Jalr_RdEqualsRs1_UsesOldRs1ForTarget()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Jalr(1, 1, 0),          // 0x00: target = old x1 = 0x1000c; x1 = 0x10004
            Ebreak,                 // 0x04
            Ebreak,                 // 0x08
            Ecall);                 // 0x0c
        f.X[1] = CodeVa + 0xc;
        f.RunToEcall();
        Assert.Equal(CodeVa + 0xc, f.State.Pc);
        Assert.Equal(CodeVa + 4, f.X[1]);
    }
}

public sealed class BranchTestsOnInterpreter() : BranchTests(EngineKind.Interpreter);

public sealed class BranchTestsOnJit() : BranchTests(EngineKind.Jit);
