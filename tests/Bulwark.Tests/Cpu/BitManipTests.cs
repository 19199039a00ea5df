using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>The bit-manipulation extensions Zba, Zbb and Zbs (RV64). Expected values are worked out
/// from the instruction definitions of the unprivileged ISA chapter "B Extension for Bit
/// Manipulation": .uw forms use the zero-extended low word of rs1, w-suffixed forms operate on the low
/// word and sign-extend the 32-bit result, and register shift/rotate/bit indexes use the low 6 (RV64)
/// or 5 (w forms) bits of rs2.</summary>
public abstract class BitManipTests(EngineKind engine)
{
    private ulong Binary(uint insn, ulong a, ulong b) => CpuFixture.Binary(insn, a, b, engine);
    private ulong Unary(uint insn, ulong a) => CpuFixture.Unary(insn, a, engine);

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

    // ---- Zbb ----

    [Fact]
    public void Andn_Orn_Xnor_InvertRs2()
    {
        const ulong a = 0x0f0f_0000_0f0f_00ff, b = 0xff00_00ff_ff00_00f0;
        Assert.Equal(0x000f_0000_000f_000fUL, Binary(Andn(3, 1, 2), a, b));
        Assert.Equal(0x0fff_ff00_0fff_ffffUL, Binary(Orn(3, 1, 2), a, b));
        Assert.Equal(0x0ff0_ff00_0ff0_fff0UL, Binary(Xnor(3, 1, 2), a, b));
        Assert.Equal(a, Binary(Andn(3, 1, 2), a, 0));
        Assert.Equal(0UL, Binary(Andn(3, 1, 2), a, a));
        Assert.Equal(a, Binary(Orn(3, 1, 2), a, Ones));
        Assert.Equal(Ones, Binary(Orn(3, 1, 2), 0, 0));
        Assert.Equal(Ones, Binary(Xnor(3, 1, 2), a, a));
        Assert.Equal(0UL, Binary(Xnor(3, 1, 2), a, ~a));
    }

    [Theory]
    // A zero operand counts the whole width: 64, or 32 for the w forms.
    [InlineData(0UL, 64, 64, 0, 32, 32, 0)]
    [InlineData(Ones, 0, 0, 64, 0, 0, 32)]
    [InlineData(1UL, 63, 0, 1, 31, 0, 1)]
    [InlineData(Min64, 0, 63, 1, 32, 32, 0)]                         // w forms see only the (zero) low word
    [InlineData(0x0000_0000_8000_0000UL, 32, 31, 1, 0, 31, 1)]
    [InlineData(0x0000_0001_0000_0000UL, 31, 32, 1, 32, 32, 0)]
    [InlineData(0xffff_ffff_0000_0000UL, 0, 32, 32, 32, 32, 0)]
    [InlineData(W, 3, 0, 15, 0, 0, 2)]
    [InlineData(0x0000_0000_00f0_0000UL, 40, 20, 4, 8, 20, 4)]
    public void Clz_Ctz_Cpop_AndWordForms(ulong a, int clz, int ctz, int cpop, int clzw, int ctzw, int cpopw)
    {
        Assert.Equal((ulong)clz, Unary(Clz(3, 1), a));
        Assert.Equal((ulong)ctz, Unary(Ctz(3, 1), a));
        Assert.Equal((ulong)cpop, Unary(Cpop(3, 1), a));
        Assert.Equal((ulong)clzw, Unary(Clzw(3, 1), a));
        Assert.Equal((ulong)ctzw, Unary(Ctzw(3, 1), a));
        Assert.Equal((ulong)cpopw, Unary(Cpopw(3, 1), a));
    }

    [Theory]
    [InlineData(Ones, 1UL, Ones, 1UL, 1UL, Ones)]                   // -1 < 1 signed, 2^64-1 > 1 unsigned
    [InlineData(Min64, Max64, Min64, Max64, Max64, Min64)]
    [InlineData(0UL, Min64, Min64, 0UL, 0UL, Min64)]
    [InlineData(0xffff_ffff_ffff_fffeUL, Ones, 0xffff_ffff_ffff_fffeUL, 0xffff_ffff_ffff_fffeUL, Ones, Ones)]
    [InlineData(5UL, 5UL, 5UL, 5UL, 5UL, 5UL)]
    [InlineData(0x0000_0000_ffff_ffffUL, 0x0000_0001_0000_0000UL,   // full 64-bit compare, no word truncation
        0x0000_0000_ffff_ffffUL, 0x0000_0000_ffff_ffffUL, 0x0000_0001_0000_0000UL, 0x0000_0001_0000_0000UL)]
    public void Min_Minu_Max_Maxu(ulong a, ulong b, ulong min, ulong minu, ulong max, ulong maxu)
    {
        Assert.Equal(min, Binary(Min(3, 1, 2), a, b));
        Assert.Equal(minu, Binary(Minu(3, 1, 2), a, b));
        Assert.Equal(max, Binary(Max(3, 1, 2), a, b));
        Assert.Equal(maxu, Binary(Maxu(3, 1, 2), a, b));
        // Symmetric in the operands.
        Assert.Equal(min, Binary(Min(3, 1, 2), b, a));
        Assert.Equal(maxu, Binary(Maxu(3, 1, 2), b, a));
    }

    [Theory]
    [InlineData(0UL, 0UL, 0UL, 0UL)]
    [InlineData(Ones, Ones, Ones, 0xffffUL)]
    [InlineData(0x7fUL, 0x7fUL, 0x7fUL, 0x7fUL)]
    [InlineData(0x80UL, 0xffff_ffff_ffff_ff80UL, 0x80UL, 0x80UL)]
    [InlineData(0x8000UL, 0UL, 0xffff_ffff_ffff_8000UL, 0x8000UL)]
    [InlineData(0x1234_5678_9abc_def0UL, 0xffff_ffff_ffff_fff0UL, 0xffff_ffff_ffff_def0UL, 0xdef0UL)]
    [InlineData(0xffff_ffff_ffff_7f7fUL, 0x7fUL, 0x7f7fUL, 0x7f7fUL)]
    public void SextB_SextH_ZextH(ulong a, ulong sextb, ulong sexth, ulong zexth)
    {
        Assert.Equal(sextb, Unary(SextB(3, 1), a));
        Assert.Equal(sexth, Unary(SextH(3, 1), a));
        Assert.Equal(zexth, Unary(ZextH(3, 1), a));
    }

    private const ulong Rot = 0x8123_4567_89ab_cdef;

    [Theory]
    [InlineData(0UL, 0x8123_4567_89ab_cdefUL, 0x8123_4567_89ab_cdefUL)]
    [InlineData(1UL, 0x0246_8acf_1357_9bdfUL, 0xc091_a2b3_c4d5_e6f7UL)]
    [InlineData(4UL, 0x1234_5678_9abc_def8UL, 0xf812_3456_789a_bcdeUL)]
    [InlineData(31UL, 0xc4d5_e6f7_c091_a2b3UL, 0x1357_9bdf_0246_8acfUL)]
    [InlineData(32UL, 0x89ab_cdef_8123_4567UL, 0x89ab_cdef_8123_4567UL)]
    [InlineData(63UL, 0xc091_a2b3_c4d5_e6f7UL, 0x0246_8acf_1357_9bdfUL)]
    public void Rol_Ror_Rori(ulong amount, ulong rol, ulong ror)
    {
        Assert.Equal(rol, Binary(Rol(3, 1, 2), Rot, amount));
        Assert.Equal(ror, Binary(Ror(3, 1, 2), Rot, amount));
        Assert.Equal(ror, Unary(Rori(3, 1, (int)amount), Rot));
    }

    [Theory]
    // Only rs2[5:0] counts: 64 rotates by 0, 0xffff_ffff_ffff_ff44 by 4.
    [InlineData(64UL, 0x8123_4567_89ab_cdefUL, 0x8123_4567_89ab_cdefUL)]
    [InlineData(0xffff_ffff_ffff_ff44UL, 0x1234_5678_9abc_def8UL, 0xf812_3456_789a_bcdeUL)]
    public void Rol_Ror_UseOnlyLow6BitsOfRs2(ulong amount, ulong rol, ulong ror)
    {
        Assert.Equal(rol, Binary(Rol(3, 1, 2), Rot, amount));
        Assert.Equal(ror, Binary(Ror(3, 1, 2), Rot, amount));
    }

    [Theory]
    // Low word 0x89ab_cdef; upper word must be ignored; the 32-bit result is sign-extended. Only rs2[4:0]
    // counts: 32 rotates by 0 and 63 by 31.
    [InlineData(0UL, 0xffff_ffff_89ab_cdefUL, 0xffff_ffff_89ab_cdefUL)]
    [InlineData(1UL, 0x0000_0000_1357_9bdfUL, 0xffff_ffff_c4d5_e6f7UL)]
    [InlineData(4UL, 0xffff_ffff_9abc_def8UL, 0xffff_ffff_f89a_bcdeUL)]
    [InlineData(31UL, 0xffff_ffff_c4d5_e6f7UL, 0x0000_0000_1357_9bdfUL)]
    [InlineData(32UL, 0xffff_ffff_89ab_cdefUL, 0xffff_ffff_89ab_cdefUL)]
    [InlineData(63UL, 0xffff_ffff_c4d5_e6f7UL, 0x0000_0000_1357_9bdfUL)]
    public void Rolw_Rorw_Roriw_RotateLowWordAndSignExtend(ulong amount, ulong rolw, ulong rorw)
    {
        const ulong a = 0x1234_5678_89ab_cdef;
        Assert.Equal(rolw, Binary(Rolw(3, 1, 2), a, amount));
        Assert.Equal(rorw, Binary(Rorw(3, 1, 2), a, amount));
        Assert.Equal(rorw, Unary(Roriw(3, 1, (int)(amount & 31)), a));
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(Ones, Ones)]
    [InlineData(0x0100_8000_0000_0001UL, 0xff00_ff00_0000_00ffUL)]
    [InlineData(0x1234_5678_9abc_def0UL, Ones)]
    [InlineData(0x0000_0000_0000_0100UL, 0x0000_0000_0000_ff00UL)]
    [InlineData(Min64, 0xff00_0000_0000_0000UL)]
    [InlineData(0x00ff_0001_0080_0000UL, 0x00ff_00ff_00ff_0000UL)]
    public void OrcB_EachNonzeroByteBecomesAllOnes(ulong a, ulong expected) =>
        Assert.Equal(expected, Unary(OrcB(3, 1), a));

    [Theory]
    [InlineData(0x0123_4567_89ab_cdefUL, 0xefcd_ab89_6745_2301UL)]
    [InlineData(0UL, 0UL)]
    [InlineData(Ones, Ones)]
    [InlineData(0x80UL, Min64)]
    [InlineData(Min64, 0x80UL)]
    public void Rev8_ReversesAllEightBytes(ulong a, ulong expected) =>
        Assert.Equal(expected, Unary(Rev8(3, 1), a));

    // ---- Zbs ----

    // Bits 63, 31 and 0 set.
    private const ulong V = 0x8000_0000_8000_0001;

    [Theory]
    [InlineData(0, 0x8000_0000_8000_0000UL, V, 0x8000_0000_8000_0000UL, 1UL)]
    [InlineData(1, V, 0x8000_0000_8000_0003UL, 0x8000_0000_8000_0003UL, 0UL)]
    [InlineData(31, 0x8000_0000_0000_0001UL, V, 0x8000_0000_0000_0001UL, 1UL)]
    [InlineData(32, V, 0x8000_0001_8000_0001UL, 0x8000_0001_8000_0001UL, 0UL)]
    [InlineData(62, V, 0xc000_0000_8000_0001UL, 0xc000_0000_8000_0001UL, 0UL)]
    [InlineData(63, 0x0000_0000_8000_0001UL, V, 0x0000_0000_8000_0001UL, 1UL)]
    public void Bclr_Bset_Binv_Bext_RegisterAndImmediate(int index, ulong bclr, ulong bset, ulong binv, ulong bext)
    {
        Assert.Equal(bclr, Binary(Bclr(3, 1, 2), V, (ulong)index));
        Assert.Equal(bset, Binary(Bset(3, 1, 2), V, (ulong)index));
        Assert.Equal(binv, Binary(Binv(3, 1, 2), V, (ulong)index));
        Assert.Equal(bext, Binary(Bext(3, 1, 2), V, (ulong)index));
        Assert.Equal(bclr, Unary(Bclri(3, 1, index), V));
        Assert.Equal(bset, Unary(Bseti(3, 1, index), V));
        Assert.Equal(binv, Unary(Binvi(3, 1, index), V));
        Assert.Equal(bext, Unary(Bexti(3, 1, index), V));
    }

    [Theory]
    // Only rs2[5:0] is the index: 64 is bit 0, 0x7f bit 63, 0xffff_ffff_ffff_ff5f bit 31.
    [InlineData(64UL, 0x8000_0000_8000_0000UL, V, 0x8000_0000_8000_0000UL, 1UL)]
    [InlineData(0x7fUL, 0x0000_0000_8000_0001UL, V, 0x0000_0000_8000_0001UL, 1UL)]
    [InlineData(0xffff_ffff_ffff_ff5fUL, 0x8000_0000_0000_0001UL, V, 0x8000_0000_0000_0001UL, 1UL)]
    [InlineData(0xffff_ffff_ffff_ff41UL, V, 0x8000_0000_8000_0003UL, 0x8000_0000_8000_0003UL, 0UL)]
    public void SingleBitRegisterForms_UseOnlyLow6BitsOfRs2(ulong rs2, ulong bclr, ulong bset, ulong binv, ulong bext)
    {
        Assert.Equal(bclr, Binary(Bclr(3, 1, 2), V, rs2));
        Assert.Equal(bset, Binary(Bset(3, 1, 2), V, rs2));
        Assert.Equal(binv, Binary(Binv(3, 1, 2), V, rs2));
        Assert.Equal(bext, Binary(Bext(3, 1, 2), V, rs2));
    }

    [Fact]
    public void SingleBitOps_AreFullWidth_NoWordSignExtension()
    {
        Assert.Equal(Min64, Unary(Bseti(3, 1, 63), 0));
        Assert.Equal(0x0000_0000_8000_0000UL, Binary(Bset(3, 1, 2), 0, 31));
        Assert.Equal(0xffff_ffff_7fff_ffffUL, Unary(Bclri(3, 1, 31), Ones));
        Assert.Equal(Max64, Binary(Binv(3, 1, 2), Ones, 63));
        Assert.Equal(1UL, Unary(Bexti(3, 1, 63), Min64));   // the bit itself, not a sign-extended -1
        Assert.Equal(0UL, Unary(Bexti(3, 1, 62), Min64));
    }

    // ---- all extensions ----

    [Fact]
    public void WritesToX0_AreIgnored()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Sh1add(0, 1, 2), AddUw(0, 1, 2), SlliUw(0, 1, 3),
            Orn(0, 1, 2), Clz(0, 1), Cpopw(0, 1), Maxu(0, 1, 2), SextB(0, 1), ZextH(0, 1), Rorw(0, 1, 2), Rori(0, 1, 3),
            OrcB(0, 1), Rev8(0, 1), Bset(0, 1, 2), Binvi(0, 1, 5), Bext(0, 1, 2),
            Addi(4, 0, 7), Ecall);
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
        { "OP-IMM unary funct7 0110000 rs2 00011", R(0x13, 1, 0x30, 3, 1, 3) },
        { "OP-IMM unary funct7 0110000 rs2 00110", R(0x13, 1, 0x30, 3, 1, 6) },
        { "OP-IMM unary funct7 0110000 rs2 00111", R(0x13, 1, 0x30, 3, 1, 7) },
        { "OP-IMM unary funct7 0110000 rs2 11111", R(0x13, 1, 0x30, 3, 1, 31) },
        { "OP-IMM unary with imm[5] set (funct7 0110001)", R(0x13, 1, 0x31, 3, 1, 0) },
        { "OP-IMM-32 unary rs2 00011", R(0x1b, 1, 0x30, 3, 1, 3) },
        { "OP-IMM-32 unary rs2 00100 (no sext.b word form)", R(0x1b, 1, 0x30, 3, 1, 4) },
        { "OP-IMM-32 unary rs2 00101", R(0x1b, 1, 0x30, 3, 1, 5) },
        { "roriw with imm[5] set", R(0x1b, 5, 0x31, 3, 1, 0) },
        { "OP-32 funct7 0000100 funct3 100 rs2 != 0 (packw, Zbkb)", R(0x3b, 4, 0x04, 3, 1, 2) },
        { "OP funct7 0000100 funct3 100 rs2 0 (RV32 zext.h; pack, Zbkb)", R(0x33, 4, 0x04, 3, 1, 0) },
        { "OP-IMM funct3 101 imm 0x698 (RV32 rev8)", I(0x13, 5, 3, 1, 0x698) },
        { "OP-IMM funct3 101 imm 0x687 (brev8, Zbkb)", I(0x13, 5, 3, 1, 0x687) },
        { "OP-IMM funct3 101 imm 0x286 (next to orc.b)", I(0x13, 5, 3, 1, 0x286) },
        { "OP-IMM funct3 101 imm 0x6bf (next to rev8)", I(0x13, 5, 3, 1, 0x6bf) },
        { "OP funct7 0000101 funct3 001 (clmul, Zbc)", R(0x33, 1, 0x05, 3, 1, 2) },
        { "OP funct7 0000101 funct3 000", R(0x33, 0, 0x05, 3, 1, 2) },
        { "OP funct7 0100000 funct3 001", R(0x33, 1, 0x20, 3, 1, 2) },
        { "OP funct7 0110000 funct3 000", R(0x33, 0, 0x30, 3, 1, 2) },
        { "OP-32 funct7 0110000 funct3 010", R(0x3b, 2, 0x30, 3, 1, 2) },
        { "OP-32 funct7 0100000 funct3 111 (no andn word form)", R(0x3b, 7, 0x20, 3, 1, 2) },
        { "OP-32 funct7 0000101 funct3 100 (no min word form)", R(0x3b, 4, 0x05, 3, 1, 2) },
        { "OP funct7 0100100 funct3 000", R(0x33, 0, 0x24, 3, 1, 2) },
        { "OP funct7 0110100 funct3 101", R(0x33, 5, 0x34, 3, 1, 2) },
        { "OP funct7 0010100 funct3 101", R(0x33, 5, 0x14, 3, 1, 2) },
        { "OP funct7 0010100 funct3 010 (xperm4, Zbkx)", R(0x33, 2, 0x14, 3, 1, 2) },
        { "OP-32 funct7 0010100 funct3 001 (no bset word form)", R(0x3b, 1, 0x14, 3, 1, 2) },
        { "OP-IMM-32 funct3 001 imm[11:6] 001010 (no bseti word form)", R(0x1b, 1, 0x14, 3, 1, 5) },
        { "OP-IMM funct3 001 imm[11:6] 000100 (zip, Zbkb RV32)", R(0x13, 1, 0x04, 3, 1, 15) },
        { "OP-IMM funct3 101 imm[11:6] 011010 other than rev8", I(0x13, 5, 3, 1, 0x6a5) },
        { "OP-IMM funct3 001 imm[11:6] 010000 (no slai)", R(0x13, 1, 0x20, 3, 1, 5) },
    };

    [Theory]
    [MemberData(nameof(Reserved))]
    public void ReservedEncodings_AreIllegalInstructions(string what, uint bits)
    {
        var f = new CpuFixture(engine: engine);
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

public sealed class BitManipTestsOnInterpreter() : BitManipTests(EngineKind.Interpreter);

public sealed class BitManipTestsOnJit() : BitManipTests(EngineKind.Jit);
