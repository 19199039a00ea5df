using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>Stops and synchronous exceptions (privileged ISA: an exception's epc is the faulting
/// instruction; stval is the instruction bits for an illegal instruction, the faulting address for a
/// fetch fault; an instruction that raises an exception does not retire).</summary>
public abstract class TrapTests(EngineKind engine)
{

    [Fact]
    public void Ecall_StopsWithPcOnTheEcall_AndCanBeResumedPastIt()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Addi(5, 0, 1), Ecall, Addi(5, 5, 1), Ecall);
        Assert.Equal(StopReason.Ecall, f.Run());
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(1UL, f.X[5]);
        f.State.Pc += 4;                      // what a kernel does after handling the call
        Assert.Equal(StopReason.Ecall, f.Run());
        Assert.Equal(CodeVa + 0xc, f.State.Pc);
        Assert.Equal(2UL, f.X[5]);
    }

    [Fact]
    public void Ebreak_Breakpoint_PcOnTheEbreak()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Addi(5, 0, 1), Ebreak, Addi(5, 5, 1), Ecall);
        var h = f.RunToTrap(TrapCause.Breakpoint);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.True(h.TrapValue == 0 || h.TrapValue == CodeVa + 4, $"stval 0x{h.TrapValue:x}");
        Assert.Equal(1UL, f.X[5]);
    }

    [Theory]
    [InlineData(0x0000_0000u)]   // all zeros: defined illegal
    [InlineData(0xffff_ffffu)]   // all ones: defined illegal
    [InlineData(0x0400_0033u)]   // OP with funct7 = 0000010
    [InlineData(0x0000_4073u)]   // SYSTEM funct3 = 100
    [InlineData(0x0010_0173u)]   // ebreak with rd != 0 (not ecall/ebreak)
    [InlineData(0x0000_200fu)]   // MISC-MEM funct3 = 010
    [InlineData(0x0000_7003u)]   // LOAD funct3 = 111
    [InlineData(0x0000_4023u)]   // STORE funct3 = 100
    [InlineData(0x0000_2067u)]   // JALR funct3 = 010
    [InlineData(0x0000_2063u)]   // BRANCH funct3 = 010
    [InlineData(0x3800_302fu)]   // AMO funct3 = 011 but funct5 = 00111 (not an AMO)
    [InlineData(0x0000_402fu)]   // AMO funct3 = 100
    [InlineData(0x1010_302fu)]   // lr.d with rs2 != 0 (reserved)
    public void IllegalInstruction_TrapValueIsTheBits_PcOnIt(uint bits)
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Addi(5, 0, 1), bits, Addi(5, 5, 1), Ecall);
        var h = f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal((ulong)bits, h.TrapValue);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(1UL, f.X[5]);
    }

    [Fact]
    public void Budget_StopsAfterExactlyThatManyInstructions()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Addi(5, 5, 1), Addi(5, 5, 1), Addi(5, 5, 1), Addi(5, 5, 1), Addi(5, 5, 1), Ecall);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 3));
        Assert.Equal(CodeVa + 12, f.State.Pc);
        Assert.Equal(3UL, f.X[5]);
        Assert.Equal(3UL, f.Hart0.InstructionsRetired);
        f.RunToEcall();
        Assert.Equal(5UL, f.X[5]);
    }

    // ---- instructions retired around traps: the trapping instruction does not retire ----

    [Fact]
    public void LoadPageFault_FaultingInstructionNotRetired()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = UnmappedVa;
        f.Load(Nop, Nop, Ld(3, 1, 0), Ecall);
        f.RunToTrap(TrapCause.LoadPageFault);
        Assert.Equal(2UL, f.Hart0.InstructionsRetired);
    }

    [Fact]
    public void IllegalInstruction_FaultingInstructionNotRetired()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Nop, Nop, 0xffff_ffffu, Ecall);
        f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(2UL, f.Hart0.InstructionsRetired);
    }

    [Fact]
    public void IllegalCsrAccess_FaultingInstructionNotRetired()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Nop, Csrrw(0, CsrCycle, 0), Ecall);
        f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(1UL, f.Hart0.InstructionsRetired);
    }

    [Fact]
    public void FetchPageFault_AfterAJump_TheJumpRetires()
    {
        var f = new CpuFixture(engine: engine);
        const ulong target = 0x50000;   // unmapped
        f.X[6] = target;
        f.Load(Nop, Jalr(1, 6, 0), Ecall);
        var h = f.RunToTrap(TrapCause.InstructionPageFault);
        Assert.Equal(target, h.TrapValue);
        Assert.Equal(target, f.State.Pc);          // epc = the address that could not be fetched
        Assert.Equal(CodeVa + 8, f.X[1]);          // the jalr completed
        Assert.Equal(2UL, f.Hart0.InstructionsRetired);
    }

    [Fact]
    public void FetchPageFault_OnTheFirstInstruction_RetiresNothing()
    {
        var f = new CpuFixture(engine: engine);
        f.State.Pc = 0x50000;
        var h = f.RunToTrap(TrapCause.InstructionPageFault);
        Assert.Equal(0x50000UL, h.TrapValue);
        Assert.Equal(0x50000UL, f.State.Pc);
        Assert.Equal(0UL, f.Hart0.InstructionsRetired);
    }

    [Fact]
    public void FetchFromNonExecutablePage_InstructionPageFault()
    {
        var f = new CpuFixture(engine: engine);
        f.Write32(f.Data, 0, Ecall);
        f.X[6] = DataVa;
        f.Load(Jalr(0, 6, 0));
        var h = f.RunToTrap(TrapCause.InstructionPageFault);
        Assert.Equal(DataVa, h.TrapValue);
        Assert.Equal(DataVa, f.State.Pc);
    }

    private sealed class CountingUnit : ICustomInstructionUnit
    {
        public int Calls;

        public bool Execute(Hart hart, in DecodedInsn insn)
        {
            Calls++;
            if (insn.Raw != 0x0000_000bu) return false;
            hart.State.X[5] = 0xc0ffee;
            return true;
        }
    }

    [Fact]
    public void CustomOpcode_WithoutAUnit_IsIllegal()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(0x0000_000bu, Ecall);                // custom-0
        var h = f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(0x0000_000bUL, h.TrapValue);
    }

    [Fact]
    public void CustomOpcode_GoesToTheUnit_WhichMayRefuseIt()
    {
        var f = new CpuFixture(engine: engine);
        var unit = new CountingUnit();
        f.Machine.CustomUnit = unit;
        f.Load(0x0000_000bu, 0x0000_102bu, Ecall);  // custom-0 (accepted), custom-1 (refused)
        var h = f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(0xc0ffeeUL, f.X[5]);
        Assert.Equal(0x0000_102bUL, h.TrapValue);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(2, unit.Calls);
    }
}

public sealed class TrapTestsOnInterpreter() : TrapTests(EngineKind.Interpreter);

public sealed class TrapTestsOnJit() : TrapTests(EngineKind.Jit);
