using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>The bit-manipulation extensions Zba, Zbb and Zbs (RV64). Expected values are worked out
/// from the instruction definitions of the unprivileged ISA chapter "B Extension for Bit
/// Manipulation": .uw forms use the zero-extended low word of rs1, w-suffixed forms operate on the low
/// word and sign-extend the 32-bit result, and register shift/rotate/bit indexes use the low 6 (RV64)
/// or 5 (w forms) bits of rs2.</summary>
public class BitManipTests
{
    private const ulong Ones = ulong.MaxValue;
    private const ulong Min64 = 0x8000_0000_0000_0000;
    private const ulong Max64 = 0x7fff_ffff_ffff_ffff;
    // Upper word garbage, low word 0x8000_0001 (bit 31 set, so sign- and zero-extension differ).
    private const ulong W = 0x1234_5678_8000_0001;

    // ---- Zba ----

    [Theory]
    [InlineData(Ones, 0UL, 0x0000_0000_ffff_ffffUL)]                        // zext.w
    [InlineData(W, 0UL, 0x0000_0000_8000_0001UL)]                           // bit 31 not sign-extended
    [InlineData(0x0000_0000_ffff_ffffUL, Ones, 0x0000_0000_ffff_fffeUL)]    // the add itself is 64-bit, wrapping
    [InlineData(0xffff_ffff_0000_0000UL, 0x1234UL, 0x1234UL)]               // upper word of rs1 ignored
    public void AddUw_AddsZeroExtendedLowWordOfRs1ToRs2(ulong a, ulong b, ulong expected) =>
        Assert.Equal(expected, Binary(AddUw(3, 1, 2), a, b));

    [Theory]
    [InlineData(1UL, 0UL, 2UL, 4UL, 8UL)]
    [InlineData(Min64 | 1, 0UL, 2UL, 4UL, 8UL)]                             // bits shifted out of bit 63 are lost
    [InlineData(Ones, 5UL, 3UL, 1UL, 0xffff_ffff_ffff_fffdUL)]              // -2+5, -4+5, -8+5
    [InlineData(W, 0x10UL, 0x2468_acf1_0000_0012UL, 0x48d1_59e2_0000_0014UL, 0x91a2_b3c4_0000_0018UL)]
    public void ShNadd_ShiftsRs1AndAddsRs2(ulong a, ulong b, ulong sh1, ulong sh2, ulong sh3)
    {
        Assert.Equal(sh1, Binary(Sh1add(3, 1, 2), a, b));
        Assert.Equal(sh2, Binary(Sh2add(3, 1, 2), a, b));
        Assert.Equal(sh3, Binary(Sh3add(3, 1, 2), a, b));
    }

    [Theory]
    [InlineData(W, 0x10UL, 0x1_0000_0012UL, 0x2_0000_0014UL, 0x4_0000_0018UL)]
    [InlineData(Ones, 0UL, 0x1_ffff_fffeUL, 0x3_ffff_fffcUL, 0x7_ffff_fff8UL)]
    [InlineData(0xffff_ffff_0000_0000UL, 7UL, 7UL, 7UL, 7UL)]
    [InlineData(0x0000_0000_ffff_ffffUL, Ones, 0x1_ffff_fffdUL, 0x3_ffff_fffbUL, 0x7_ffff_fff7UL)]
    public void ShNaddUw_ShiftsZeroExtendedLowWordOfRs1(ulong a, ulong b, ulong sh1, ulong sh2, ulong sh3)
    {
        Assert.Equal(sh1, Binary(Sh1addUw(3, 1, 2), a, b));
        Assert.Equal(sh2, Binary(Sh2addUw(3, 1, 2), a, b));
        Assert.Equal(sh3, Binary(Sh3addUw(3, 1, 2), a, b));
    }

    [Theory]
    [InlineData(0, 0x0000_0000_8000_0001UL)]
    [InlineData(1, 0x0000_0001_0000_0002UL)]
    [InlineData(31, 0x4000_0000_8000_0000UL)]
    [InlineData(32, 0x8000_0001_0000_0000UL)]
    [InlineData(63, 0x8000_0000_0000_0000UL)]
    public void SlliUw_ShiftsZeroExtendedLowWord_By6BitAmount(int shamt, ulong expected) =>
        Assert.Equal(expected, Unary(SlliUw(3, 1, shamt), 0xffff_ffff_8000_0001));

    // ---- all extensions ----

    [Fact]
    public void WritesToX0_AreIgnored()
    {
        var f = new CpuFixture();
        f.Load(Sh1add(0, 1, 2), AddUw(0, 1, 2), SlliUw(0, 1, 3), Addi(4, 0, 7), Ecall);
        f.X[1] = 0x1234;
        f.X[2] = 0x5678;
        f.RunToEcall();
        Assert.Equal(0UL, f.X[0]);
        Assert.Equal(7UL, f.X[4]);
    }

    /// <summary>Encodings next to the new instructions that no ratified extension this machine implements
    /// defines (or that are other extensions' instructions: Zbkb, Zbc, Zbkx).</summary>
    public static TheoryData<string, uint> Reserved() => new()
    {
        { "OP funct7 0010000 funct3 000 (no sh0add)", R(0x33, 0, 0x10, 3, 1, 2) },
        { "OP funct7 0010000 funct3 011", R(0x33, 3, 0x10, 3, 1, 2) },
        { "OP-32 funct7 0010000 funct3 111", R(0x3b, 7, 0x10, 3, 1, 2) },
        { "OP-32 funct7 0000100 funct3 001", R(0x3b, 1, 0x04, 3, 1, 2) },
        { "OP-IMM-32 funct3 001 imm[11:6] 000011", SlliUw(3, 1, 5) | (1u << 26) },
        { "OP-IMM-32 funct3 101 imm[11:6] 000010 (no srli.uw)", SlliUw(3, 1, 5) | (4u << 12) },
    };

    [Theory]
    [MemberData(nameof(Reserved))]
    public void ReservedEncodings_AreIllegalInstructions(string what, uint bits)
    {
        var f = new CpuFixture();
        f.Load(Addi(5, 0, 1), bits, Addi(5, 5, 1), Ecall);
        f.X[3] = 0xdead;
        var stop = f.Run();
        Assert.True(stop == StopReason.Trap && f.Hart0.TrapCause == TrapCause.IllegalInstruction,
            $"{what} (0x{bits:x8}): expected an illegal-instruction trap, got {stop} ({f.Hart0.TrapCause})");
        Assert.Equal((ulong)bits, f.Hart0.TrapValue);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(0xdeadUL, f.X[3]);
        Assert.Equal(1UL, f.X[5]);
    }
}
