using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>The A extension (unprivileged ISA chapter "A" Extension): LR/SC reservations, AMOs that
/// return the old memory value (sign-extended for .W), and the requirement that AMOs and LR/SC be
/// naturally aligned. A store by another hart to the reserved bytes must make the SC fail.</summary>
public abstract class AtomicTests(EngineKind engine)
{

    [Fact]
    public void LrD_ScD_Succeeds()
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.Data, 0, 5);
        f.X[1] = DataVa;
        f.Load(LrD(3, 1), Addi(3, 3, 1), ScD(4, 3, 1), Ecall);
        f.X[4] = 0x77;
        f.RunToEcall();
        Assert.Equal(0UL, f.X[4]);
        Assert.Equal(6UL, f.Read64(f.Data, 0));
    }

    [Fact]
    public void LrW_SignExtends_ScW_WritesOnlyAWord()
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.Data, 8, 0xdead_beef_8000_0000);
        f.X[1] = DataVa + 8;
        f.X[5] = 0x1234_5678_0000_0042;
        f.Load(LrW(3, 1), ScW(4, 5, 1), Ecall);
        f.X[4] = 0x77;
        f.RunToEcall();
        Assert.Equal(0xffff_ffff_8000_0000UL, f.X[3]);
        Assert.Equal(0UL, f.X[4]);
        Assert.Equal(0xdead_beef_0000_0042UL, f.Read64(f.Data, 8));
    }

    [Fact]
    public void Sc_WithoutReservation_Fails_AndDoesNotWrite()
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.Data, 0, 5);
        f.X[1] = DataVa;
        f.X[3] = 99;
        f.Load(ScD(4, 3, 1), ScW(6, 3, 1), Ecall);
        f.RunToEcall();
        Assert.NotEqual(0UL, f.X[4]);
        Assert.NotEqual(0UL, f.X[6]);
        Assert.Equal(5UL, f.Read64(f.Data, 0));
    }

    [Fact]
    public void SecondSc_AfterASuccessfulOne_Fails()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = DataVa;
        f.X[3] = 1;
        f.X[5] = 2;
        f.Load(LrD(2, 1), ScD(4, 3, 1), ScD(6, 5, 1), Ecall);
        f.RunToEcall();
        Assert.Equal(0UL, f.X[4]);
        Assert.NotEqual(0UL, f.X[6]);
        Assert.Equal(1UL, f.Read64(f.Data, 0));
    }

    [Fact]
    public void Sc_ToADifferentAddressThanTheLr_Fails()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = DataVa;
        f.X[7] = DataVa + 16;
        f.X[3] = 9;
        f.Load(LrD(2, 1), ScD(4, 3, 7), Ecall);
        f.RunToEcall();
        Assert.NotEqual(0UL, f.X[4]);
        Assert.Equal(0UL, f.Read64(f.Data, 16));
    }

    /// <summary>Hart 0: lr.d; addi; sc.d; ecall at CodeVa. Hart 1 runs <paramref name="other"/> at CodeVa + 0x100.</summary>
    private CpuFixture TwoHarts(params uint[] other)
    {
        var f = new CpuFixture(harts: 2, engine: engine);
        f.Write64(f.Data, 0, 5);
        f.Load(LrD(3, 1), Addi(3, 3, 1), ScD(4, 3, 1), Ecall);
        f.LoadAt(CodeVa + 0x100, other);
        var h0 = f.Machine.Harts[0].State;
        var h1 = f.Machine.Harts[1].State;
        h0.X[1] = DataVa;
        h0.X[4] = 0x77;
        h1.Pc = CodeVa + 0x100;
        h1.X[1] = DataVa;
        h1.X[2] = 42;
        return f;
    }

    [Fact]
    public void StoreByAnotherHart_BetweenLrAndSc_MakesScFail()
    {
        var f = TwoHarts(Sd(2, 1, 0), Ecall);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(hart: 0, budget: 1));   // lr.d only
        Assert.Equal(CodeVa + 4, f.Machine.Harts[0].State.Pc);
        f.RunToEcall(hart: 1);                                                  // sd 42
        f.RunToEcall(hart: 0);                                                  // addi; sc.d
        Assert.NotEqual(0UL, f.Machine.Harts[0].State.X[4]);
        Assert.Equal(42UL, f.Read64(f.Data, 0));
    }

    [Fact]
    public void StoreByAnotherHart_ThroughAWarmWriteTlb_MakesScFail()
    {
        // Hart 1 first stores to the page (filling its write TLB), then hart 0 takes the reservation,
        // then hart 1 stores again: its cached write translation must not bypass the reservation.
        var f = TwoHarts(Sd(2, 1, 8), Sw(2, 1, 4), Ecall);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(hart: 1, budget: 1));   // sd to DataVa+8
        Assert.Equal(StopReason.BudgetExhausted, f.Run(hart: 0, budget: 1));   // lr.d DataVa
        f.RunToEcall(hart: 1);                                                  // sw to DataVa+4 (overlaps)
        f.RunToEcall(hart: 0);
        Assert.NotEqual(0UL, f.Machine.Harts[0].State.X[4]);
        Assert.Equal(0x0000_002a_0000_0005UL, f.Read64(f.Data, 0));
    }

    [Fact]
    public void AmoByAnotherHart_BetweenLrAndSc_MakesScFail()
    {
        var f = TwoHarts(AmoOp(F5Add, true, 5, 1, 2), Ecall);
        f.Run(hart: 0, budget: 1);
        f.RunToEcall(hart: 1);
        f.RunToEcall(hart: 0);
        Assert.NotEqual(0UL, f.Machine.Harts[0].State.X[4]);
        Assert.Equal(47UL, f.Read64(f.Data, 0));
        Assert.Equal(5UL, f.Machine.Harts[1].State.X[5]);
    }

    [Fact]
    public void LoadByAnotherHart_DoesNotDisturbTheReservation_ScSucceeds()
    {
        // Not required by the ISA, but a load must never break a reservation on this machine:
        // otherwise an LR/SC loop could livelock against a reader.
        var f = TwoHarts(Ld(5, 1, 0), Ecall);
        f.Run(hart: 0, budget: 1);
        f.RunToEcall(hart: 1);
        f.RunToEcall(hart: 0);
        Assert.Equal(0UL, f.Machine.Harts[0].State.X[4]);
        Assert.Equal(6UL, f.Read64(f.Data, 0));
        Assert.Equal(5UL, f.Machine.Harts[1].State.X[5]);
    }

    [Fact]
    public void TwoReservationsOnOnePage_ClearingOneKeepsTheOtherWatched()
    {
        // Hart 0 reserves DataVa, hart 1 reserves DataVa+64 (same frame). Hart 0's successful SC ends
        // its reservation; hart 1's must still be broken by a later store from hart 0 to its address.
        var f = new CpuFixture(harts: 2, engine: engine);
        f.Load(LrD(3, 1), ScD(4, 2, 1), Sd(2, 5, 0), Ecall);
        f.LoadAt(CodeVa + 0x100, LrD(3, 1), ScD(4, 2, 1), Ecall);
        var s0 = f.Machine.Harts[0].State;
        var s1 = f.Machine.Harts[1].State;
        s0.X[1] = DataVa;
        s0.X[2] = 11;
        s0.X[5] = DataVa + 64;
        s1.Pc = CodeVa + 0x100;
        s1.X[1] = DataVa + 64;
        s1.X[2] = 22;
        Assert.Equal(StopReason.BudgetExhausted, f.Run(hart: 0, budget: 1));   // hart 0: lr.d DataVa
        Assert.Equal(StopReason.BudgetExhausted, f.Run(hart: 1, budget: 1));   // hart 1: lr.d DataVa+64
        f.RunToEcall(hart: 0);                                                  // sc.d ok; sd to DataVa+64
        Assert.Equal(0UL, s0.X[4]);
        f.RunToEcall(hart: 1);                                                  // sc.d must fail
        Assert.NotEqual(0UL, s1.X[4]);
        Assert.Equal(11UL, f.Read64(f.Data, 0));
        Assert.Equal(11UL, f.Read64(f.Data, 64));
    }

    private const ulong Sentinel = 0xdead_beef_0000_0000;

    // op, initial word, rs2, expected word in memory, expected rd (old word, sign-extended)
    [Theory]
    [InlineData("swap", 0x8000_0001u, 0x1234_5678_0000_0005UL, 0x0000_0005u, 0xffff_ffff_8000_0001UL)]
    [InlineData("add", 0xffff_ffffu, 2UL, 0x0000_0001u, 0xffff_ffff_ffff_ffffUL)]
    [InlineData("add", 0x7fff_ffffu, 1UL, 0x8000_0000u, 0x0000_0000_7fff_ffffUL)]
    [InlineData("and", 0xf0f0_f0f0u, 0xff00_ff00UL, 0xf000_f000u, 0xffff_ffff_f0f0_f0f0UL)]
    [InlineData("or", 0x0f0f_0000u, 0x0000_f0f0UL, 0x0f0f_f0f0u, 0x0000_0000_0f0f_0000UL)]
    [InlineData("xor", 0xffff_0000u, 0x0f0f_0f0fUL, 0xf0f0_0f0fu, 0xffff_ffff_ffff_0000UL)]
    [InlineData("min", 0x8000_0000u, 1UL, 0x8000_0000u, 0xffff_ffff_8000_0000UL)]
    [InlineData("min", 5u, 0x0000_0000_ffff_ffffUL, 0xffff_ffffu, 5UL)]           // rs2 is -1 as a word
    [InlineData("max", 0x8000_0000u, 1UL, 0x0000_0001u, 0xffff_ffff_8000_0000UL)]
    [InlineData("max", 5u, 0xffff_ffff_ffff_fff0UL, 0x0000_0005u, 5UL)]
    [InlineData("minu", 0x8000_0000u, 1UL, 0x0000_0001u, 0xffff_ffff_8000_0000UL)]
    [InlineData("minu", 5u, 0x0000_0001_0000_0007UL, 0x0000_0005u, 5UL)]           // upper half of rs2 ignored
    [InlineData("maxu", 0x8000_0000u, 1UL, 0x8000_0000u, 0xffff_ffff_8000_0000UL)]
    [InlineData("maxu", 5u, 0xffff_ffff_0000_0003UL, 0x0000_0005u, 5UL)]
    public void AmoW(string op, uint initial, ulong src, uint expectedMem, ulong expectedRd)
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.Data, 16, Sentinel | initial);
        f.X[1] = DataVa + 16;
        f.X[2] = src;
        f.Load(AmoOp(Funct5(op), false, 3, 1, 2), Ecall);
        f.RunToEcall();
        Assert.Equal(expectedRd, f.X[3]);
        Assert.Equal(Sentinel | expectedMem, f.Read64(f.Data, 16));
    }

    private const ulong Min64 = 0x8000_0000_0000_0000;

    [Theory]
    [InlineData("swap", Min64 | 1, 7UL, 7UL)]
    [InlineData("add", ulong.MaxValue, 2UL, 1UL)]
    [InlineData("and", 0xff00_ff00_ff00_ff00UL, 0x0ff0_0ff0_0ff0_0ff0UL, 0x0f00_0f00_0f00_0f00UL)]
    [InlineData("or", 0xff00_0000_0000_0000UL, 0x0000_0000_0000_00ffUL, 0xff00_0000_0000_00ffUL)]
    [InlineData("xor", 0xffff_0000_ffff_0000UL, 0xffff_ffff_0000_0000UL, 0x0000_ffff_ffff_0000UL)]
    [InlineData("min", Min64, 1UL, Min64)]
    [InlineData("min", 0x0000_0000_ffff_ffffUL, 1UL, 1UL)]        // positive as a doubleword
    [InlineData("max", Min64, 1UL, 1UL)]
    [InlineData("max", 0x0000_0000_ffff_ffffUL, 1UL, 0x0000_0000_ffff_ffffUL)]
    [InlineData("minu", Min64, 1UL, 1UL)]
    [InlineData("maxu", Min64, 1UL, Min64)]
    public void AmoD(string op, ulong initial, ulong src, ulong expectedMem)
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.Data, 24, initial);
        f.X[1] = DataVa + 24;
        f.X[2] = src;
        f.Load(AmoOp(Funct5(op), true, 3, 1, 2), Ecall);
        f.RunToEcall();
        Assert.Equal(initial, f.X[3]);
        Assert.Equal(expectedMem, f.Read64(f.Data, 24));
    }

    [Fact]
    public void Amo_RdEqualsRs2_ReturnsOldValueAndStoresOldRs2()
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.Data, 0, 10);
        f.X[1] = DataVa;
        f.X[2] = 3;
        f.Load(AmoOp(F5Add, true, 2, 1, 2), Ecall);
        f.RunToEcall();
        Assert.Equal(10UL, f.X[2]);
        Assert.Equal(13UL, f.Read64(f.Data, 0));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(false, 1)]
    [InlineData(true, 4)]
    [InlineData(true, 2)]
    public void MisalignedAmo_StoreMisaligned(bool dbl, int offset)
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = DataVa + (ulong)offset;
        f.X[2] = 1;
        f.Load(Addi(5, 0, 1), AmoOp(F5Add, dbl, 3, 1, 2), Ecall);
        f.X[3] = 0x77;
        var h = f.RunToTrap(TrapCause.StoreMisaligned);
        Assert.Equal(DataVa + (ulong)offset, h.TrapValue);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(0x77UL, f.X[3]);
        Assert.Equal(0UL, f.Read64(f.Data, 0));
        Assert.Equal(0UL, f.Read64(f.Data, 8));
    }

    [Fact]
    public void MisalignedLr_LoadMisaligned_MisalignedSc_StoreMisaligned()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = DataVa + 4;
        f.Load(LrD(3, 1), Ecall);
        var h = f.RunToTrap(TrapCause.LoadMisaligned);
        Assert.Equal(DataVa + 4, h.TrapValue);

        var g = new CpuFixture(engine: engine);
        g.X[1] = DataVa + 2;
        g.Load(ScW(3, 2, 1), Ecall);
        var h2 = g.RunToTrap(TrapCause.StoreMisaligned);
        Assert.Equal(DataVa + 2, h2.TrapValue);
    }

    [Fact]
    public void Amo_ToReadOnlyPage_StorePageFault()
    {
        var f = new CpuFixture(engine: engine);
        f.Write32(f.ReadOnly, 0, 5);
        f.X[1] = ReadOnlyVa;
        f.X[2] = 1;
        f.Load(AmoOp(F5Add, false, 3, 1, 2), Ecall);
        var h = f.RunToTrap(TrapCause.StorePageFault);
        Assert.Equal(ReadOnlyVa, h.TrapValue);
        Assert.Equal(5u, f.Read32(f.ReadOnly, 0));
    }

    private static uint Funct5(string op) => op switch
    {
        "swap" => F5Swap,
        "add" => F5Add,
        "and" => F5And,
        "or" => F5Or,
        "xor" => F5Xor,
        "min" => F5Min,
        "max" => F5Max,
        "minu" => F5Minu,
        "maxu" => F5Maxu,
        _ => throw new ArgumentException(op),
    };
}

public sealed class AtomicTestsOnInterpreter() : AtomicTests(EngineKind.Interpreter);

public sealed class AtomicTestsOnJit() : AtomicTests(EngineKind.Jit);
