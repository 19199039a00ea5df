using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>Zicsr/Zicntr from user mode (unprivileged ISA chapters "Zicsr" and "Counters"; privileged
/// ISA section 2.1 "CSR Address Mapping Conventions"): CSRRS/CSRRC with rs1=x0 and CSRRSI/CSRRCI with
/// uimm=0 only read; any write attempt to a read-only CSR (address bits 11:10 = 11, e.g. cycle,
/// time, instret) or any access to a CSR that does not exist or is not accessible at U level raises an
/// illegal-instruction exception. fcsr is frm (7:5) and fflags (4:0); bits 31:8 read as zero.</summary>
public abstract class CsrTests(EngineKind engine)
{

    [Fact]
    public void Rdinstret_Rdcycle_IncreaseByInstructionsRetired()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Csrrs(5, CsrInstret, 0),
            Csrrs(7, CsrCycle, 0),
            Nop, Nop, Nop,
            Csrrs(6, CsrInstret, 0),
            Csrrs(8, CsrCycle, 0),
            Ecall);
        f.RunToEcall();
        // Between the two rdinstret: the first rdinstret itself, rdcycle, three nops = 5 retired.
        Assert.Equal(5UL, f.X[6] - f.X[5]);
        // This platform models one cycle per instruction.
        Assert.Equal(5UL, f.X[8] - f.X[7]);
    }

    [Fact]
    public void Rdinstret_CountsAcrossEngineRuns()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Csrrs(5, CsrInstret, 0),
            Nop, Nop,
            Nop,
            Csrrs(6, CsrInstret, 0),
            Ecall);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 3));
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 1));
        f.RunToEcall();
        Assert.Equal(4UL, f.X[6] - f.X[5]);
    }

    [Fact]
    public void Rdinstret_CountsInstructionsOfEarlierRuns()
    {
        // Two nops retire in a first run; rdinstret in a second run must include them.
        var f = new CpuFixture(engine: engine);
        f.Load(Nop, Nop, Csrrs(5, CsrInstret, 0), Ecall);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 2));
        ulong before = f.Hart0.InstructionsRetired;
        Assert.Equal(2UL, before);
        f.RunToEcall();
        // rdinstret sees the 2 nops, plus itself if it counts itself: 2 or 3, never more.
        Assert.InRange(f.X[5], 2UL, 3UL);
    }

    [Fact]
    public void Rdtime_ReadsTheVirtualClock()
    {
        var f = new CpuFixture(engine: engine);
        f.Machine.Clock.Advance(1_000_000);   // 1 ms at 10 MHz = 10_000 ticks
        f.Load(Csrrs(5, CsrTime, 0), Ecall);
        f.RunToEcall();
        Assert.Equal(10_000UL, f.X[5]);
    }

    [Fact]
    public void Fcsr_ReadWrite_ComposesFrmAndFflags()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = 0xffff_ffff_ffff_ffff;
        f.Load(
            Csrrw(2, CsrFcsr, 1),    // x2 = old fcsr (0); fcsr = 0xff (upper bits dropped)
            Csrrs(3, CsrFcsr, 0),    // x3 = 0xff
            Csrrs(4, CsrFrm, 0),     // x4 = 7
            Csrrs(5, CsrFflags, 0),  // x5 = 0x1f
            Ecall);
        f.X[2] = 0x55;
        f.RunToEcall();
        Assert.Equal(0UL, f.X[2]);
        Assert.Equal(0xffUL, f.X[3]);
        Assert.Equal(7UL, f.X[4]);
        Assert.Equal(0x1fUL, f.X[5]);
        Assert.Equal(0xffu, f.State.Fcsr);
    }

    [Fact]
    public void Frm_Write_LeavesFflags()
    {
        var f = new CpuFixture(engine: engine);
        f.State.Fflags = 0x15;
        f.State.Frm = 1;
        f.Load(Csrrwi(2, CsrFrm, 3), Csrrs(3, CsrFcsr, 0), Ecall);
        f.RunToEcall();
        Assert.Equal(1UL, f.X[2]);
        Assert.Equal((3UL << 5) | 0x15, f.X[3]);
        Assert.Equal(3u, f.State.Frm);
        Assert.Equal(0x15u, f.State.Fflags);
    }

    [Fact]
    public void Fflags_SetClearBits_LeavesFrm()
    {
        var f = new CpuFixture(engine: engine);
        f.State.Fflags = 0x15;
        f.State.Frm = 2;
        f.X[1] = 0xff;
        f.Load(
            Csrrci(2, CsrFflags, 0x1),   // x2 = 0x15, fflags = 0x14
            Csrrsi(3, CsrFflags, 0x2),   // x3 = 0x14, fflags = 0x16
            Csrrc(4, CsrFflags, 0),      // rs1 = x0: read only, x4 = 0x16
            Csrrw(5, CsrFflags, 1),      // x5 = 0x16, fflags = 0x1f (5 bits)
            Ecall);
        f.RunToEcall();
        Assert.Equal(0x15UL, f.X[2]);
        Assert.Equal(0x14UL, f.X[3]);
        Assert.Equal(0x16UL, f.X[4]);
        Assert.Equal(0x16UL, f.X[5]);
        Assert.Equal(0x1fu, f.State.Fflags);
        Assert.Equal(2u, f.State.Frm);
    }

    [Fact]
    public void CsrrsWithX0_OnReadOnlyCounter_IsALegalRead()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Csrrs(5, CsrCycle, 0), Csrrc(6, CsrInstret, 0), Csrrsi(7, CsrTime, 0), Csrrci(8, CsrCycle, 0), Ecall);
        f.RunToEcall();
    }

    public static TheoryData<string, uint> WritesToReadOnly() => new()
    {
        { "csrrw x0, cycle, x1", Csrrw(0, CsrCycle, 1) },
        { "csrrw x5, instret, x0", Csrrw(5, CsrInstret, 0) },   // csrrw always writes, even with rs1 = x0
        { "csrrs x5, instret, x1 (x1 = 0)", Csrrs(5, CsrInstret, 1) }, // rs1 is not x0: a write, even of 0
        { "csrrc x5, cycle, x1", Csrrc(5, CsrCycle, 1) },
        { "csrrwi x0, time, 0", Csrrwi(0, CsrTime, 0) },
        { "csrrsi x5, cycle, 1", Csrrsi(5, CsrCycle, 1) },
    };

    [Theory]
    [MemberData(nameof(WritesToReadOnly))]
    public void WriteToReadOnlyCounter_IllegalInstruction(string text, uint insn)
    {
        _ = text;
        var f = new CpuFixture(engine: engine);
        f.Load(Nop, insn, Ecall);
        f.X[1] = 0;
        f.X[5] = 0x5555;
        var h = f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(insn, h.TrapValue);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(0x5555UL, f.X[5]);   // rd not written
    }

    [Theory]
    [InlineData(0x100)]   // sstatus: supervisor
    [InlineData(0x300)]   // mstatus: machine
    [InlineData(0xf14)]   // mhartid
    [InlineData(0x7c0)]   // custom machine-level
    [InlineData(0x004)]   // unallocated user CSR
    [InlineData(0x800)]   // custom user read/write, not implemented
    public void UnknownOrPrivilegedCsr_IllegalInstruction(int csr)
    {
        var f = new CpuFixture(engine: engine);
        uint insn = Csrrs(5, csr, 0);
        f.Load(insn, Ecall);
        f.X[5] = 0x5555;
        var h = f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(insn, h.TrapValue);
        Assert.Equal(CodeVa, f.State.Pc);
        Assert.Equal(0x5555UL, f.X[5]);
    }
}

public sealed class CsrTestsOnInterpreter() : CsrTests(EngineKind.Interpreter);

public sealed class CsrTestsOnJit() : CsrTests(EngineKind.Jit);
