using Bulwark.Machine.Cpu;
using Bulwark.Machine.Translation;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>Executing RVC instructions (unprivileged ISA, chapter "C" Extension): each is 2 bytes, so pc
/// advances by 2; c.j/c.beqz offsets are relative to the compressed instruction; 32-bit instructions
/// only need 2-byte alignment and may straddle a page boundary.</summary>
public abstract class CompressedTests(EngineKind engine)
{

    [Fact]
    public void MixedStream_AdvancesPcByTwoForCompressed()
    {
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa,
            CLi(8, -3),            // 0x00: x8 = -3
            CAddi(8, 5),           // 0x02: x8 = 2
            CJ(6),                 // 0x04: -> 0x0a
            CLi(9, 1),             // 0x06: skipped
            CLi(9, 2),             // 0x08: skipped
            CBeqz(10, 6),          // 0x0a: x10 == 0 -> 0x10
            CLi(9, 3),             // 0x0c: skipped
            CNop,                  // 0x0e: skipped
            CSdsp(8, 8),           // 0x10: [sp+8] = x8
            CLdsp(11, 8),          // 0x12: x11 = [sp+8]
            CBnez(8, 4),           // 0x14: x8 != 0 -> 0x18
            CLi(9, 4),             // 0x16: skipped
            Addi(12, 0, 12),       // 0x18: 4-byte instruction after compressed ones
            CNop,                  // 0x1c
            Addi(13, 0, 13),       // 0x1e: 4-byte instruction at an address that is only 2-aligned
            Ecall);                // 0x22
        f.X[2] = DataVa;
        f.RunToEcall();
        Assert.Equal(2UL, f.X[8]);
        Assert.Equal(0UL, f.X[9]);
        Assert.Equal(2UL, f.X[11]);
        Assert.Equal(12UL, f.X[12]);
        Assert.Equal(13UL, f.X[13]);
        Assert.Equal(2UL, f.Read64(f.Data, 8));
        Assert.Equal(CodeVa + 0x22, f.State.Pc);
    }

    [Fact]
    public void BudgetStopsBetweenCompressedInstructions_PcIsTwoAligned()
    {
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa, CLi(8, 1), CAddi(8, 1), CAddi(8, 1), CAddi(8, 1), Ecall);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 3));
        Assert.Equal(CodeVa + 6, f.State.Pc);
        Assert.Equal(3UL, f.X[8]);
        Assert.Equal(3UL, f.Hart0.InstructionsRetired);
        f.RunToEcall();
        Assert.Equal(4UL, f.X[8]);
        Assert.Equal(CodeVa + 8, f.State.Pc);
    }

    [Fact]
    public void CBeqz_Backward_AndNotTaken()
    {
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa,
            CLi(8, 3),             // 0x00
            CAddi(8, -1),          // 0x02 <-+
            CAddi(9, 1),           // 0x04   |
            CBnez(8, -4),          // 0x06 --+
            CBeqz(9, 4),           // 0x08: x9 = 3, not taken
            Ecall);                // 0x0a
        f.RunToEcall();
        Assert.Equal(3UL, f.X[9]);
        Assert.Equal(CodeVa + 0x0a, f.State.Pc);
    }

    [Fact]
    public void CLi_ToX0_IsAHint_NoEffect()
    {
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa, CLi(0, 5), CAddi(8, 0), Ecall);
        f.X[8] = 7;
        f.RunToEcall();
        Assert.Equal(0UL, f.X[0]);
        Assert.Equal(7UL, f.X[8]);
    }

    [Fact]
    public void FourByteInstruction_StraddlingTwoCodePages_Executes()
    {
        var f = new CpuFixture(engine: engine);
        f.MapNew(CodeVa + PageSize, PteFlags.R | PteFlags.X | PteFlags.U);
        f.Emit(CodeVa + 0xffc, CNop, Addi(5, 0, 7), Ecall);   // addi at 0x10ffe..0x11001
        f.State.Pc = CodeVa + 0xffc;
        f.RunToEcall();
        Assert.Equal(7UL, f.X[5]);
        Assert.Equal(CodeVa + 0x1002, f.State.Pc);
    }

    [Fact]
    public void FourByteInstruction_StraddlingIntoUnmappedPage_InstructionPageFault()
    {
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa + 0xffc, CAddi(8, 1), (ushort)(Addi(5, 0, 7) & 0xffff));
        f.State.Pc = CodeVa + 0xffc;
        var h = f.RunToTrap(TrapCause.InstructionPageFault);
        Assert.Equal(CodeVa + 0xffe, f.State.Pc);           // epc is the instruction
        Assert.Equal(CodeVa + 0x1000, h.TrapValue);         // the part that faulted
        Assert.Equal(1UL, f.X[8]);
        Assert.Equal(0UL, f.X[5]);
    }

    [Fact]
    public void CEbreak_Breakpoint()
    {
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa, CNop, CEbreak, Ecall);
        f.RunToTrap(TrapCause.Breakpoint);
        Assert.Equal(CodeVa + 2, f.State.Pc);
    }

    [Fact]
    public void IllegalCompressed_TrapValueIsThe16Bits()
    {
        // c.lwsp with rd = x0 is reserved: 010 0 00000 00000 10 = 0x4002.
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa, CNop, (ushort)0x4002, CNop, Ecall);
        var h = f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(0x4002UL, h.TrapValue);
        Assert.Equal(CodeVa + 2, f.State.Pc);
    }

    [Fact]
    public void CJalr_LinksPcPlus2_CJrReturns()
    {
        var f = new CpuFixture(engine: engine);
        f.Emit(CodeVa,
            (ushort)0x9302,        // 0x00: c.jalr x6 -> 0x08, ra = 0x10002
            Ecall,                 // 0x02
            CNop,                  // 0x06
            CAddi(8, 1),           // 0x08
            (ushort)0x8082);       // 0x0a: c.jr ra
        f.X[6] = CodeVa + 8;
        f.RunToEcall();
        Assert.Equal(CodeVa + 2, f.X[1]);
        Assert.Equal(CodeVa + 2, f.State.Pc);
        Assert.Equal(1UL, f.X[8]);
    }
}

public sealed class CompressedTestsOnInterpreter() : CompressedTests(EngineKind.Interpreter);

public sealed class CompressedTestsOnJit() : CompressedTests(EngineKind.Jit);
