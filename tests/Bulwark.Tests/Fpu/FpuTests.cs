using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Fpu;
using static Bulwark.Tests.Fpu.FpEnc;
using FpuExec = Bulwark.Machine.Cpu.Fpu.Fpu;

namespace Bulwark.Tests.Fpu;

/// <summary>F/D semantics. Expected values are worked out by hand from the RISC-V unprivileged ISA
/// (F and D chapters) and IEEE 754-2008; the comments give the derivations.</summary>
public class FpuTests
{
    private const uint NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
    private const ulong Box = 0xFFFF_FFFF_0000_0000UL;
    private const ulong CanonS = Box | 0x7FC0_0000UL;
    private const ulong CanonD = 0x7FF8_0000_0000_0000UL;

    private static ulong S(uint bits) => Box | bits;

    private static HartState Hart(uint frm = 0)
    {
        var h = new HartState();
        h.Frm = frm;
        return h;
    }

    private static DecodedInsn Decode(uint raw)
    {
        var d = new DecodedInsn();
        Assert.True(FpDecoder.TryDecode(raw, ref d), $"decode 0x{raw:x8}");
        d.Length = 4;
        return d;
    }

    private static bool Run(HartState h, uint raw) => FpuExec.Execute(h, Decode(raw));

    private static void Exec(HartState h, uint raw) => Assert.True(Run(h, raw), $"execute 0x{raw:x8}");

    /// <summary>Runs a binary op on f1, f2 into f3 and checks the raw result and fflags.</summary>
    private static void Bin(Func<int, int, int, uint> enc, ulong a, ulong b, ulong expect, uint flags, uint frm = 0)
    {
        var h = Hart(frm);
        h.F[1] = a; h.F[2] = b;
        Exec(h, enc(3, 1, 2));
        Assert.Equal(expect.ToString("x16"), h.F[3].ToString("x16"));
        Assert.Equal(flags, h.Fflags);
    }

    private static void Tern(Func<int, int, int, int, uint> enc, ulong a, ulong b, ulong c, ulong expect, uint flags)
    {
        var h = Hart();
        h.F[1] = a; h.F[2] = b; h.F[3] = c;
        Exec(h, enc(4, 1, 2, 3));
        Assert.Equal(expect.ToString("x16"), h.F[4].ToString("x16"));
        Assert.Equal(flags, h.Fflags);
    }

    private static void Un(Func<int, int, uint> enc, ulong a, ulong expect, uint flags)
    {
        var h = Hart();
        h.F[1] = a;
        Exec(h, enc(3, 1));
        Assert.Equal(expect.ToString("x16"), h.F[3].ToString("x16"));
        Assert.Equal(flags, h.Fflags);
    }

    private static void ToX(uint raw, ulong fval, ulong expect, uint flags)
    {
        var h = Hart();
        h.F[1] = fval;
        h.X[6] = 0xDEAD;
        Exec(h, raw);
        Assert.Equal(expect.ToString("x16"), h.X[6].ToString("x16"));
        Assert.Equal(flags, h.Fflags);
    }

    private static void FromX(uint raw, ulong xval, ulong expect, uint flags)
    {
        var h = Hart();
        h.X[5] = xval;
        Exec(h, raw);
        Assert.Equal(expect.ToString("x16"), h.F[3].ToString("x16"));
        Assert.Equal(flags, h.Fflags);
    }

    // ---------------------------------------------------------------- rounding modes: add/sub

    // 1 + 2^-24 is exactly half an ulp of 1.0f above 1.0: a tie. 1.0f has an even significand.
    [Theory]
    [InlineData(RNE, 0x3F800000u)]
    [InlineData(RTZ, 0x3F800000u)]
    [InlineData(RDN, 0x3F800000u)]
    [InlineData(RUP, 0x3F800001u)]
    [InlineData(RMM, 0x3F800001u)]
    public void FaddS_Tie_AllModes(int rm, uint expect) =>
        Bin((d, a, b) => Fadd(false, d, a, b, rm), S(0x3F800000), S(0x33800000), S(expect), NX);

    // -1 - 2^-24: the same tie, negative: RDN/RMM go away from zero.
    [Theory]
    [InlineData(RNE, 0xBF800000u)]
    [InlineData(RTZ, 0xBF800000u)]
    [InlineData(RDN, 0xBF800001u)]
    [InlineData(RUP, 0xBF800000u)]
    [InlineData(RMM, 0xBF800001u)]
    public void FaddS_NegativeTie_AllModes(int rm, uint expect) =>
        Bin((d, a, b) => Fadd(false, d, a, b, rm), S(0xBF800000), S(0xB3800000), S(expect), NX);

    // 1 + 1.5*2^-24 = 1 + 0.75 ulp: above the midpoint.
    [Theory]
    [InlineData(RNE, 0x3F800001u)]
    [InlineData(RTZ, 0x3F800000u)]
    [InlineData(RDN, 0x3F800000u)]
    [InlineData(RUP, 0x3F800001u)]
    [InlineData(RMM, 0x3F800001u)]
    public void FaddS_AboveHalf_AllModes(int rm, uint expect) =>
        Bin((d, a, b) => Fadd(false, d, a, b, rm), S(0x3F800000), S(0x33C00000), S(expect), NX);

    // 1 - 2^-54: halfway between 1-2^-53 (0x3FEFFFFFFFFFFFFF, odd) and 1.0 (even).
    [Theory]
    [InlineData(RNE, 0x3FF0000000000000ul)]
    [InlineData(RTZ, 0x3FEFFFFFFFFFFFFFul)]
    [InlineData(RDN, 0x3FEFFFFFFFFFFFFFul)]
    [InlineData(RUP, 0x3FF0000000000000ul)]
    [InlineData(RMM, 0x3FF0000000000000ul)]
    public void FsubD_TieBelowBinade_AllModes(int rm, ulong expect) =>
        Bin((d, a, b) => Fsub(true, d, a, b, rm), 0x3FF0000000000000, 0x3C90000000000000, expect, NX);

    [Theory]
    [InlineData(RNE, 0x0000000000000000ul)]
    [InlineData(RTZ, 0x0000000000000000ul)]
    [InlineData(RUP, 0x0000000000000000ul)]
    [InlineData(RMM, 0x0000000000000000ul)]
    [InlineData(RDN, 0x8000000000000000ul)]
    public void FsubD_ExactZero_SignDependsOnMode(int rm, ulong expect) =>
        Bin((d, a, b) => Fsub(true, d, a, b, rm), 0x3FF8000000000000, 0x3FF8000000000000, expect, 0);

    [Fact]
    public void FaddD_ExactIsFlagless() =>
        Bin((d, a, b) => Fadd(true, d, a, b, RNE), 0x3FF0000000000000, 0x4000000000000000, 0x4008000000000000, 0);

    // ---------------------------------------------------------------- mul

    // (1+2^-52)^2 = 1 + 2^-51 + 2^-104: just above 0x3FF0000000000002.
    [Theory]
    [InlineData(RNE, 0x3FF0000000000002ul)]
    [InlineData(RTZ, 0x3FF0000000000002ul)]
    [InlineData(RDN, 0x3FF0000000000002ul)]
    [InlineData(RUP, 0x3FF0000000000003ul)]
    [InlineData(RMM, 0x3FF0000000000002ul)]
    public void FmulD_AllModes(int rm, ulong expect) =>
        Bin((d, a, b) => Fmul(true, d, a, b, rm), 0x3FF0000000000001, 0x3FF0000000000001, expect, NX);

    // -(1+2^-23)(1+2^-23) = -(1 + 2^-22 + 2^-46).
    [Theory]
    [InlineData(RNE, 0xBF800002u)]
    [InlineData(RTZ, 0xBF800002u)]
    [InlineData(RDN, 0xBF800003u)]
    [InlineData(RUP, 0xBF800002u)]
    [InlineData(RMM, 0xBF800002u)]
    public void FmulS_Negative_AllModes(int rm, uint expect) =>
        Bin((d, a, b) => Fmul(false, d, a, b, rm), S(0xBF800001), S(0x3F800001), S(expect), NX);

    // ---------------------------------------------------------------- div

    // 1/3 = 1.0101...b * 2^-2; after 23 fraction bits 0101..010 the rest is 1010... > half.
    [Theory]
    [InlineData(RNE, 0x3EAAAAABu)]
    [InlineData(RTZ, 0x3EAAAAAAu)]
    [InlineData(RDN, 0x3EAAAAAAu)]
    [InlineData(RUP, 0x3EAAAAABu)]
    [InlineData(RMM, 0x3EAAAAABu)]
    public void FdivS_OneThird_AllModes(int rm, uint expect) =>
        Bin((d, a, b) => Fdiv(false, d, a, b, rm), S(0x3F800000), S(0x40400000), S(expect), NX);

    [Theory]
    [InlineData(RNE, 0xBEAAAAABu)]
    [InlineData(RTZ, 0xBEAAAAAAu)]
    [InlineData(RDN, 0xBEAAAAABu)]
    [InlineData(RUP, 0xBEAAAAAAu)]
    [InlineData(RMM, 0xBEAAAAABu)]
    public void FdivS_MinusOneThird_AllModes(int rm, uint expect) =>
        Bin((d, a, b) => Fdiv(false, d, a, b, rm), S(0xBF800000), S(0x40400000), S(expect), NX);

    // In double the 52 fraction bits end ...0101 and the remainder 0101... is below half.
    [Theory]
    [InlineData(RNE, 0x3FD5555555555555ul)]
    [InlineData(RTZ, 0x3FD5555555555555ul)]
    [InlineData(RDN, 0x3FD5555555555555ul)]
    [InlineData(RUP, 0x3FD5555555555556ul)]
    [InlineData(RMM, 0x3FD5555555555555ul)]
    public void FdivD_OneThird_AllModes(int rm, ulong expect) =>
        Bin((d, a, b) => Fdiv(true, d, a, b, rm), 0x3FF0000000000000, 0x4008000000000000, expect, NX);

    [Fact]
    public void FdivD_ByZero_SetsDZ()
    {
        Bin((d, a, b) => Fdiv(true, d, a, b, RNE), 0x3FF0000000000000, 0x0000000000000000, 0x7FF0000000000000, DZ);
        Bin((d, a, b) => Fdiv(true, d, a, b, RNE), 0xBFF0000000000000, 0x0000000000000000, 0xFFF0000000000000, DZ);
        Bin((d, a, b) => Fdiv(true, d, a, b, RNE), 0x3FF0000000000000, 0x8000000000000000, 0xFFF0000000000000, DZ);
        Bin((d, a, b) => Fdiv(false, d, a, b, RNE), S(0x40000000), S(0x00000000), S(0x7F800000), DZ);
    }

    // ---------------------------------------------------------------- sqrt

    // sqrt(2) = 1.41421356237309504...; 0x3FF6A09E667F3BCD = 1.41421356237309514... (rounded up).
    [Theory]
    [InlineData(RNE, 0x3FF6A09E667F3BCDul)]
    [InlineData(RTZ, 0x3FF6A09E667F3BCCul)]
    [InlineData(RDN, 0x3FF6A09E667F3BCCul)]
    [InlineData(RUP, 0x3FF6A09E667F3BCDul)]
    [InlineData(RMM, 0x3FF6A09E667F3BCDul)]
    public void FsqrtD_Two_AllModes(int rm, ulong expect) =>
        Un((d, a) => Fsqrt(true, d, a, rm), 0x4000000000000000, expect, NX);

    // 0x3FB504F3 = 1.41421353816986... < sqrt(2) (rounded down).
    [Theory]
    [InlineData(RNE, 0x3FB504F3u)]
    [InlineData(RTZ, 0x3FB504F3u)]
    [InlineData(RDN, 0x3FB504F3u)]
    [InlineData(RUP, 0x3FB504F4u)]
    [InlineData(RMM, 0x3FB504F3u)]
    public void FsqrtS_Two_AllModes(int rm, uint expect) =>
        Un((d, a) => Fsqrt(false, d, a, rm), S(0x40000000), S(expect), NX);

    [Fact]
    public void Fsqrt_SpecialCases()
    {
        Un((d, a) => Fsqrt(true, d, a, RNE), 0x4010000000000000, 0x4000000000000000, 0); // sqrt(4) = 2 exact
        Un((d, a) => Fsqrt(true, d, a, RNE), 0x8000000000000000, 0x8000000000000000, 0); // sqrt(-0) = -0
        Un((d, a) => Fsqrt(true, d, a, RNE), 0xBFF0000000000000, CanonD, NV);            // sqrt(-1)
        Un((d, a) => Fsqrt(true, d, a, RNE), 0xFFF0000000000000, CanonD, NV);            // sqrt(-inf)
        Un((d, a) => Fsqrt(true, d, a, RNE), 0x7FF0000000000000, 0x7FF0000000000000, 0); // sqrt(+inf)
        Un((d, a) => Fsqrt(false, d, a, RNE), S(0xBF800000), CanonS, NV);
        Un((d, a) => Fsqrt(false, d, a, RNE), S(0x00000001), S(0x1A3504F3), NX); // sqrt(2^-149) = 2^-74.5 = sqrt2 * 2^-75
    }

    // ---------------------------------------------------------------- fused multiply-add

    // 1*1 + 2^-60: far below half an ulp of 1.
    [Theory]
    [InlineData(RNE, 0x3FF0000000000000ul)]
    [InlineData(RTZ, 0x3FF0000000000000ul)]
    [InlineData(RDN, 0x3FF0000000000000ul)]
    [InlineData(RUP, 0x3FF0000000000001ul)]
    [InlineData(RMM, 0x3FF0000000000000ul)]
    public void FmaddD_TinyAddend_AllModes(int rm, ulong expect) =>
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, rm), 0x3FF0000000000000, 0x3FF0000000000000, 0x3C30000000000000, expect, NX);

    // -(1*1) - 2^-60 = -(1 + 2^-60).
    [Theory]
    [InlineData(RNE, 0xBFF0000000000000ul)]
    [InlineData(RTZ, 0xBFF0000000000000ul)]
    [InlineData(RDN, 0xBFF0000000000001ul)]
    [InlineData(RUP, 0xBFF0000000000000ul)]
    [InlineData(RMM, 0xBFF0000000000000ul)]
    public void FnmaddD_AllModes(int rm, ulong expect) =>
        Tern((d, a, b, c) => Fnmadd(true, d, a, b, c, rm), 0x3FF0000000000000, 0x3FF0000000000000, 0x3C30000000000000, expect, NX);

    // (1+2^-23)^2 - 1 = 2^-22 + 2^-46 = 2^-22 (1 + 2^-24): a tie at single precision.
    [Theory]
    [InlineData(RNE, 0x34800000u)]
    [InlineData(RTZ, 0x34800000u)]
    [InlineData(RDN, 0x34800000u)]
    [InlineData(RUP, 0x34800001u)]
    [InlineData(RMM, 0x34800001u)]
    public void FmaddS_SingleRounding_AllModes(int rm, uint expect) =>
        Tern((d, a, b, c) => Fmadd(false, d, a, b, c, rm), S(0x3F800001), S(0x3F800001), S(0xBF800000), S(expect), NX);

    [Fact]
    public void Fma_IsFused_AndSignVariants()
    {
        // (1+2^-52)^2 - (1+2^-51) = 2^-104 exactly (a separate multiply would round to 0).
        Tern((d, a, b, c) => Fmsub(true, d, a, b, c, RNE), 0x3FF0000000000001, 0x3FF0000000000001, 0x3FF0000000000002, 0x3970000000000000, 0);
        // fnmsub: -(2*3) + 1 = -5; fmsub.s: 2*3 - 1 = 5; fnmadd.s: -(2*3) - 1 = -7.
        Tern((d, a, b, c) => Fnmsub(true, d, a, b, c, RNE), 0x4000000000000000, 0x4008000000000000, 0x3FF0000000000000, 0xC014000000000000, 0);
        Tern((d, a, b, c) => Fmsub(false, d, a, b, c, RNE), S(0x40000000), S(0x40400000), S(0x3F800000), S(0x40A00000), 0);
        Tern((d, a, b, c) => Fnmadd(false, d, a, b, c, RNE), S(0x40000000), S(0x40400000), S(0x3F800000), S(0xC0E00000), 0);
        // 1*1 + (-1) = +0 in RNE, -0 in RDN.
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RNE), 0x3FF0000000000000, 0x3FF0000000000000, 0xBFF0000000000000, 0, 0);
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RDN), 0x3FF0000000000000, 0x3FF0000000000000, 0xBFF0000000000000, 0x8000000000000000, 0);
        // fnmadd: -(+0 * 1) - (+0) = -0 + -0 = -0.
        Tern((d, a, b, c) => Fnmadd(true, d, a, b, c, RNE), 0, 0x3FF0000000000000, 0, 0x8000000000000000, 0);
    }

    [Fact]
    public void Fma_InvalidCases()
    {
        // inf * 0 + qNaN: NV even though the addend is a quiet NaN (F chapter, FMA).
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RNE), 0x7FF0000000000000, 0, 0x7FF8000000000000, CanonD, NV);
        Tern((d, a, b, c) => Fmadd(false, d, a, b, c, RNE), S(0x00000000), S(0xFF800000), S(0x7FC00000), CanonS, NV);
        // inf * 1 + -inf.
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RNE), 0x7FF0000000000000, 0x3FF0000000000000, 0xFFF0000000000000, CanonD, NV);
        // qNaN multiplicand, finite others: canonical NaN, no flags.
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RNE), 0x7FF8000000000123, 0x3FF0000000000000, 0, CanonD, 0);
        // sNaN addend.
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RNE), 0x3FF0000000000000, 0x3FF0000000000000, 0x7FF0000000000001, CanonD, NV);
    }

    // ---------------------------------------------------------------- overflow / underflow

    // MAX_FLOAT * 2 overflows; RTZ, and the directed mode rounding toward zero, give MAX_FLOAT.
    [Theory]
    [InlineData(RNE, 0x7F800000u, 0xFF800000u)]
    [InlineData(RTZ, 0x7F7FFFFFu, 0xFF7FFFFFu)]
    [InlineData(RDN, 0x7F7FFFFFu, 0xFF800000u)]
    [InlineData(RUP, 0x7F800000u, 0xFF7FFFFFu)]
    [InlineData(RMM, 0x7F800000u, 0xFF800000u)]
    public void FmulS_Overflow_AllModes(int rm, uint pos, uint neg)
    {
        Bin((d, a, b) => Fmul(false, d, a, b, rm), S(0x7F7FFFFF), S(0x40000000), S(pos), OF | NX);
        Bin((d, a, b) => Fmul(false, d, a, b, rm), S(0xFF7FFFFF), S(0x40000000), S(neg), OF | NX);
    }

    [Fact]
    public void FaddD_OverflowIsDecidedAfterRounding()
    {
        // MAX_DOUBLE + 2^970 (half an ulp of MAX): RNE ties to even = 2^1024 -> overflow.
        Bin((d, a, b) => Fadd(true, d, a, b, RNE), 0x7FEFFFFFFFFFFFFF, 0x7C90000000000000, 0x7FF0000000000000, OF | NX);
        // Same sum under RTZ rounds to MAX_DOUBLE, which is in range: no OF.
        Bin((d, a, b) => Fadd(true, d, a, b, RTZ), 0x7FEFFFFFFFFFFFFF, 0x7C90000000000000, 0x7FEFFFFFFFFFFFFF, NX);
        // MAX + 2^969 (quarter ulp) rounds back to MAX under RNE.
        Bin((d, a, b) => Fadd(true, d, a, b, RNE), 0x7FEFFFFFFFFFFFFF, 0x7C80000000000000, 0x7FEFFFFFFFFFFFFF, NX);
        Bin((d, a, b) => Fadd(true, d, a, b, RNE), 0x7FEFFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF, 0x7FF0000000000000, OF | NX);
    }

    [Fact]
    public void Underflow_TininessAfterRounding()
    {
        // 2^-1022 * (1 - 2^-53) = 2^-1022 - 2^-1075: representable with unbounded exponent (53 ones), so
        // tiny even though the subnormal rounding (tie, to even) yields the smallest normal.
        Bin((d, a, b) => Fmul(true, d, a, b, RNE), 0x0010000000000000, 0x3FEFFFFFFFFFFFFF, 0x0010000000000000, UF | NX);
        Bin((d, a, b) => Fmul(true, d, a, b, RTZ), 0x0010000000000000, 0x3FEFFFFFFFFFFFFF, 0x000FFFFFFFFFFFFF, UF | NX);
        Bin((d, a, b) => Fmul(true, d, a, b, RUP), 0x0010000000000000, 0x3FEFFFFFFFFFFFFF, 0x0010000000000000, UF | NX);
        // 2^-1022 * 2^-1 is an exact subnormal: tiny but exact, so no UF.
        Bin((d, a, b) => Fmul(true, d, a, b, RNE), 0x0010000000000000, 0x3FE0000000000000, 0x0008000000000000, 0);
        // 2^-1022 - 2^-1077 = 2^-1022 (1 - 2^-55): with an unbounded exponent RNE gives 2^-1022 -> not tiny.
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RNE), 0x0010000000000000, 0xBC80000000000000, 0x0010000000000000, 0x0010000000000000, NX);
        // ... while RTZ gives 2^-1022 (1 - 2^-53) with an unbounded exponent -> tiny.
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RTZ), 0x0010000000000000, 0xBC80000000000000, 0x0010000000000000, 0x000FFFFFFFFFFFFF, UF | NX);
        // 2^-1022 (1 - 2^-54): unbounded RNE is a tie between 1-2^-53 (odd) and 1 (even) -> 2^-1022, not tiny.
        Tern((d, a, b, c) => Fmadd(true, d, a, b, c, RNE), 0x0010000000000000, 0xBC90000000000000, 0x0010000000000000, 0x0010000000000000, NX);
    }

    [Fact]
    public void FlagsStillExact_WhenInexactAlreadyAccrued()
    {
        // With NX already set, other flags must still be raised exactly (an implementation may take a
        // host fast path for round-to-nearest here).
        void Pre(uint raw, ulong a, ulong b, ulong expect, uint flags)
        {
            var h = Hart();
            h.Fflags = NX;
            h.F[1] = a; h.F[2] = b;
            Exec(h, raw);
            Assert.Equal(expect.ToString("x16"), h.F[3].ToString("x16"));
            Assert.Equal(flags | NX, h.Fflags);
        }
        Pre(Fmul(true, 3, 1, 2, RNE), 0x0010000000000000, 0x3FEFFFFFFFFFFFFF, 0x0010000000000000, UF);
        Pre(Fmul(false, 3, 1, 2, RNE), S(0x00800000), S(0x3F7FFFFF), S(0x00800000), UF);
        Pre(Fmul(true, 3, 1, 2, RNE), 0x7FEFFFFFFFFFFFFF, 0x4000000000000000, 0x7FF0000000000000, OF);
        Pre(Fadd(false, 3, 1, 2, RNE), S(0x7F7FFFFF), S(0x7F7FFFFF), S(0x7F800000), OF);
        Pre(Fsub(true, 3, 1, 2, RNE), 0x7FF0000000000000, 0x7FF0000000000000, CanonD, NV);
        Pre(Fdiv(false, 3, 1, 2, RNE), S(0x3F800000), S(0x00000000), S(0x7F800000), DZ);
        Pre(Fadd(true, 3, 1, 2, RNE), 0x7FF0000000000001, 0x3FF0000000000000, CanonD, NV);
        Pre(Fadd(false, 3, 1, 2, RNE), 0x000000003F800000, S(0x3F800000), CanonS, 0);
        Pre(Fadd(true, 3, 1, 2, RNE), 0x3FF0000000000000, 0x3FF0000000000000, 0x4000000000000000, 0);
    }

    [Theory]
    [InlineData(RNE, 0x00000000u)]
    [InlineData(RTZ, 0x00000000u)]
    [InlineData(RDN, 0x00000000u)]
    [InlineData(RUP, 0x00000001u)]
    [InlineData(RMM, 0x00000000u)]
    public void FdivS_UnderflowToZero(int rm, uint expect) =>
        Bin((d, a, b) => Fdiv(false, d, a, b, rm), S(0x00000001), S(0x40400000), S(expect), UF | NX);

    [Theory]
    [InlineData(RNE, 0x00000000u)] // exact tie between 0 and 2^-149: to even (0)
    [InlineData(RMM, 0x00000001u)]
    [InlineData(RUP, 0x00000001u)]
    public void FmulS_HalfOfMinSubnormal(int rm, uint expect) =>
        Bin((d, a, b) => Fmul(false, d, a, b, rm), S(0x00000001), S(0x3F000000), S(expect), UF | NX);

    // ---------------------------------------------------------------- NaN boxing and canonical NaNs

    [Fact]
    public void ImproperlyBoxedOperand_ReadsAsCanonicalNaN()
    {
        // Upper half not all ones -> operand is the canonical NaN (quiet), so no NV.
        Bin((d, a, b) => Fadd(false, d, a, b, RNE), 0x000000003F800000, S(0x3F800000), CanonS, 0);
        Bin((d, a, b) => Fadd(false, d, a, b, RNE), 0xFFFFFFFE3F800000, S(0x3F800000), CanonS, 0);
        // fsgnj.s: canonical NaN bits with the sign of rs2.
        Bin((d, a, b) => Fsgnj(false, d, a, b), 0x000000003F800000, S(0xBF800000), S(0xFFC00000), 0);
        Bin((d, a, b) => Fsgnjn(false, d, a, b), 0x000000003F800000, S(0x3F800000), S(0xFFC00000), 0);
        // Improperly boxed rs2 to fsgnj.s: its sign is that of the canonical NaN (+).
        Bin((d, a, b) => Fsgnj(false, d, a, b), S(0xBF800000), 0x00000000BF800000, S(0x3F800000), 0);
        // fcvt.d.s of an improperly boxed value: canonical double NaN, no NV.
        Un((d, a) => FcvtDS(d, a, RNE), 0x00000000FF800001, CanonD, 0);
        // fclass.s sees a quiet NaN.
        ToX(Fclass(false, 6, 1), 0x000000003F800000, 0x200, 0);
    }

    [Fact]
    public void SingleResultsAreBoxed()
    {
        Bin((d, a, b) => Fadd(false, d, a, b, RNE), S(0x3F800000), S(0x3F800000), 0xFFFFFFFF40000000, 0);
        FromX(FcvtFromInt(false, 0, 3, 5, RNE), unchecked((ulong)-1L), 0xFFFFFFFFBF800000, 0);
    }

    [Fact]
    public void Fmv_MovesRawBits()
    {
        ToX(FmvXW(6, 1), 0xFFFFFFFF80000000, 0xFFFFFFFF80000000, 0); // sign-extended
        ToX(FmvXW(6, 1), 0x123456783F800000, 0x000000003F800000, 0); // no unboxing
        ToX(FmvXW(6, 1), 0xFFFFFFFF7F800001, 0x000000007F800001, 0); // sNaN bits unchanged, no NV
        ToX(FmvXD(6, 1), 0x7FF0000000000001, 0x7FF0000000000001, 0);
        FromX(FmvWX(3, 5), 0x123456789ABCDEF0, 0xFFFFFFFF9ABCDEF0, 0);
        FromX(FmvDX(3, 5), 0x123456789ABCDEF0, 0x123456789ABCDEF0, 0);
    }

    [Fact]
    public void ArithmeticNaNResultsAreCanonical()
    {
        Bin((d, a, b) => Fadd(false, d, a, b, RNE), S(0x7FC12345), S(0x3F800000), CanonS, 0);  // qNaN payload dropped
        Bin((d, a, b) => Fadd(false, d, a, b, RNE), S(0xFFC00000), S(0x3F800000), CanonS, 0);  // negative qNaN
        Bin((d, a, b) => Fadd(false, d, a, b, RNE), S(0x7F800001), S(0x3F800000), CanonS, NV); // sNaN
        Bin((d, a, b) => Fmul(true, d, a, b, RNE), 0xFFF8000000000001, 0x3FF0000000000000, CanonD, 0);
        Bin((d, a, b) => Fsub(true, d, a, b, RNE), 0x3FF0000000000000, 0x7FF4000000000000, CanonD, NV);
        Bin((d, a, b) => Fadd(true, d, a, b, RNE), 0x7FF0000000000000, 0xFFF0000000000000, CanonD, NV); // inf - inf
        Bin((d, a, b) => Fsub(true, d, a, b, RNE), 0x7FF0000000000000, 0x7FF0000000000000, CanonD, NV);
        Bin((d, a, b) => Fmul(true, d, a, b, RNE), 0x0000000000000000, 0xFFF0000000000000, CanonD, NV); // 0 * inf
        Bin((d, a, b) => Fdiv(true, d, a, b, RNE), 0x8000000000000000, 0x0000000000000000, CanonD, NV); // 0 / 0
        Bin((d, a, b) => Fdiv(true, d, a, b, RNE), 0x7FF0000000000000, 0xFFF0000000000000, CanonD, NV); // inf / inf
        Bin((d, a, b) => Fdiv(false, d, a, b, RNE), S(0x3F800000), S(0x7F800000), S(0x00000000), 0);   // 1 / inf
        Bin((d, a, b) => Fmul(true, d, a, b, RNE), 0x7FF0000000000000, 0xBFF0000000000000, 0xFFF0000000000000, 0);
    }

    // ---------------------------------------------------------------- sign injection

    [Fact]
    public void SignInjection_RawBits()
    {
        Bin((d, a, b) => Fsgnj(true, d, a, b), 0x7FF0000000000001, 0x8000000000000000, 0xFFF0000000000001, 0); // sNaN kept, no NV
        Bin((d, a, b) => Fsgnjn(true, d, a, b), 0x3FF0000000000000, 0x3FF0000000000000, 0xBFF0000000000000, 0); // fneg
        Bin((d, a, b) => Fsgnjx(true, d, a, b), 0xBFF0000000000000, 0xBFF0000000000000, 0x3FF0000000000000, 0); // fabs
        Bin((d, a, b) => Fsgnjx(false, d, a, b), S(0xBF800000), S(0x3F800000), S(0xBF800000), 0);
        Bin((d, a, b) => Fsgnjx(false, d, a, b), S(0x7F800001), S(0x80000000), S(0xFF800001), 0);
    }

    // ---------------------------------------------------------------- fmin / fmax

    [Fact]
    public void MinMax_SignedZerosAndNaNs()
    {
        const ulong P0 = 0, N0 = 0x8000000000000000, One = 0x3FF0000000000000, QN = 0x7FF8000000000000, SN = 0x7FF0000000000001;
        Bin((d, a, b) => Fmin(true, d, a, b), P0, N0, N0, 0);
        Bin((d, a, b) => Fmin(true, d, a, b), N0, P0, N0, 0);
        Bin((d, a, b) => Fmax(true, d, a, b), N0, P0, P0, 0);
        Bin((d, a, b) => Fmax(true, d, a, b), P0, N0, P0, 0);
        Bin((d, a, b) => Fmin(true, d, a, b), QN, One, One, 0);
        Bin((d, a, b) => Fmax(true, d, a, b), One, QN, One, 0);
        Bin((d, a, b) => Fmin(true, d, a, b), SN, One, One, NV);
        Bin((d, a, b) => Fmax(true, d, a, b), One, SN, One, NV);
        Bin((d, a, b) => Fmin(true, d, a, b), QN, 0xFFF8000000000001, CanonD, 0);
        Bin((d, a, b) => Fmax(true, d, a, b), SN, QN, CanonD, NV);
        Bin((d, a, b) => Fmin(true, d, a, b), 0xC000000000000000, 0xBFF0000000000000, 0xC000000000000000, 0); // -2 < -1
        Bin((d, a, b) => Fmax(true, d, a, b), 0xC000000000000000, 0xBFF0000000000000, 0xBFF0000000000000, 0);
        Bin((d, a, b) => Fmax(true, d, a, b), 0xFFF0000000000000, 0x0000000000000001, 0x0000000000000001, 0);
        // Single: NaN boxing applies; an improperly boxed input is a (quiet) NaN.
        Bin((d, a, b) => Fmin(false, d, a, b), S(0x00000000), S(0x80000000), S(0x80000000), 0);
        Bin((d, a, b) => Fmax(false, d, a, b), S(0x80000000), S(0x00000000), S(0x00000000), 0);
        Bin((d, a, b) => Fmax(false, d, a, b), 0x000000003F800000, S(0xBF800000), S(0xBF800000), 0);
        Bin((d, a, b) => Fmin(false, d, a, b), S(0x7F800001), S(0x7FC00001), CanonS, NV);
    }

    // ---------------------------------------------------------------- compares

    [Fact]
    public void Compare_NaNFlags()
    {
        ulong sn = S(0x7F800001), qn = S(0x7FC00000), one = S(0x3F800000);
        ToXBin(Feq(false, 6, 1, 2), sn, one, 0, NV); // feq: NV only for sNaN
        ToXBin(Feq(false, 6, 1, 2), qn, one, 0, 0);
        ToXBin(Flt(false, 6, 1, 2), qn, one, 0, NV); // flt/fle: NV for any NaN
        ToXBin(Fle(false, 6, 1, 2), one, qn, 0, NV);
        ToXBin(Flt(false, 6, 1, 2), sn, one, 0, NV);
        ToXBin(Fle(true, 6, 1, 2), 0x7FF8000000000000, 0x3FF0000000000000, 0, NV);
        ToXBin(Feq(true, 6, 1, 2), 0x7FF8000000000000, 0x7FF8000000000000, 0, 0);
        ToXBin(Feq(true, 6, 1, 2), 0x7FF0000000000001, 0x3FF0000000000000, 0, NV);
    }

    [Fact]
    public void Compare_Values()
    {
        const ulong P0 = 0, N0 = 0x8000000000000000, One = 0x3FF0000000000000, MOne = 0xBFF0000000000000;
        ToXBin(Feq(true, 6, 1, 2), P0, N0, 1, 0);
        ToXBin(Flt(true, 6, 1, 2), N0, P0, 0, 0);
        ToXBin(Fle(true, 6, 1, 2), P0, N0, 1, 0);
        ToXBin(Flt(true, 6, 1, 2), MOne, One, 1, 0);
        ToXBin(Flt(true, 6, 1, 2), One, MOne, 0, 0);
        ToXBin(Flt(true, 6, 1, 2), 0xC000000000000000, MOne, 1, 0);
        ToXBin(Fle(true, 6, 1, 2), One, One, 1, 0);
        ToXBin(Flt(true, 6, 1, 2), One, One, 0, 0);
        ToXBin(Feq(false, 6, 1, 2), S(0x3F800000), S(0x3F800000), 1, 0);
        ToXBin(Flt(false, 6, 1, 2), S(0xFF800000), S(0xFF7FFFFF), 1, 0);
    }

    private static void ToXBin(uint raw, ulong a, ulong b, ulong expect, uint flags)
    {
        var h = Hart();
        h.F[1] = a; h.F[2] = b;
        h.X[6] = 0xDEAD;
        Exec(h, raw);
        Assert.Equal(expect, h.X[6]);
        Assert.Equal(flags, h.Fflags);
    }

    [Fact]
    public void IntegerDestinationX0_GoesToScratch()
    {
        var d = Decode(Feq(true, 0, 1, 2));
        Assert.Equal(32, d.Rd);
        d = Decode(FcvtToInt(true, 0, 0, 1, RNE));
        Assert.Equal(32, d.Rd);
        d = Decode(Fclass(false, 0, 1));
        Assert.Equal(32, d.Rd);
        d = Decode(FmvXD(0, 1));
        Assert.Equal(32, d.Rd);
        d = Decode(Fadd(true, 0, 1, 2, RNE)); // FP destination f0 stays 0
        Assert.Equal(0, d.Rd);
        var h = Hart();
        h.F[1] = h.F[2] = 0x3FF0000000000000;
        Exec(h, Feq(true, 0, 1, 2));
        Assert.Equal(0ul, h.X[0]);
        Assert.Equal(1ul, h.X[32]);
    }

    // ---------------------------------------------------------------- fclass

    [Theory]
    [InlineData(0xFFF0000000000000ul, 0x001)] // -inf
    [InlineData(0xBFF0000000000000ul, 0x002)] // negative normal
    [InlineData(0x8000000000000001ul, 0x004)] // negative subnormal
    [InlineData(0x8000000000000000ul, 0x008)] // -0
    [InlineData(0x0000000000000000ul, 0x010)] // +0
    [InlineData(0x000FFFFFFFFFFFFFul, 0x020)] // positive subnormal
    [InlineData(0x7FEFFFFFFFFFFFFFul, 0x040)] // positive normal
    [InlineData(0x7FF0000000000000ul, 0x080)] // +inf
    [InlineData(0x7FF0000000000001ul, 0x100)] // sNaN
    [InlineData(0xFFF4000000000000ul, 0x100)] // negative sNaN
    [InlineData(0x7FF8000000000000ul, 0x200)] // qNaN
    public void FclassD_EveryClass(ulong v, int mask) => ToX(Fclass(true, 6, 1), v, (ulong)mask, 0);

    [Theory]
    [InlineData(0xFF800000u, 0x001)]
    [InlineData(0xC0000000u, 0x002)]
    [InlineData(0x807FFFFFu, 0x004)]
    [InlineData(0x80000000u, 0x008)]
    [InlineData(0x00000000u, 0x010)]
    [InlineData(0x00000001u, 0x020)]
    [InlineData(0x00800000u, 0x040)]
    [InlineData(0x7F800000u, 0x080)]
    [InlineData(0x7FA00000u, 0x100)]
    [InlineData(0xFFC00000u, 0x200)]
    public void FclassS_EveryClass(uint v, int mask) => ToX(Fclass(false, 6, 1), S(v), (ulong)mask, 0);

    // ---------------------------------------------------------------- float -> integer

    [Theory]
    [InlineData(RNE, 2L, -2L)]
    [InlineData(RTZ, 2L, -2L)]
    [InlineData(RDN, 2L, -3L)]
    [InlineData(RUP, 3L, -2L)]
    [InlineData(RMM, 3L, -3L)]
    public void FcvtWS_TwoPointFive_AllModes(int rm, long pos, long neg)
    {
        ToX(FcvtToInt(false, 0, 6, 1, rm), S(0x40200000), (ulong)pos, NX);  // 2.5
        ToX(FcvtToInt(false, 0, 6, 1, rm), S(0xC0200000), (ulong)neg, NX);  // -2.5
    }

    [Theory]
    [InlineData(RNE, 4L)]
    [InlineData(RTZ, 3L)]
    [InlineData(RDN, 3L)]
    [InlineData(RUP, 4L)]
    [InlineData(RMM, 4L)]
    public void FcvtLD_ThreePointFive_AllModes(int rm, long expect) =>
        ToX(FcvtToInt(true, 2, 6, 1, rm), 0x400C000000000000, (ulong)expect, NX);

    [Fact]
    public void FcvtToInt_Saturation()
    {
        const int W = 0, WU = 1, L = 2, LU = 3;
        ulong sNaN = S(0x7F800001), qNaN = S(0xFFC00000), pinf = S(0x7F800000), ninf = S(0xFF800000);
        // NaN -> max positive of the type (sign-extended for 32-bit), NV.
        ToX(FcvtToInt(false, W, 6, 1, RNE), qNaN, 0x000000007FFFFFFF, NV);
        ToX(FcvtToInt(false, WU, 6, 1, RNE), sNaN, 0xFFFFFFFFFFFFFFFF, NV);
        ToX(FcvtToInt(false, L, 6, 1, RNE), qNaN, 0x7FFFFFFFFFFFFFFF, NV);
        ToX(FcvtToInt(false, LU, 6, 1, RNE), qNaN, 0xFFFFFFFFFFFFFFFF, NV);
        ToX(FcvtToInt(true, W, 6, 1, RNE), 0x7FF8000000000000, 0x000000007FFFFFFF, NV);
        // Infinities.
        ToX(FcvtToInt(false, W, 6, 1, RNE), pinf, 0x000000007FFFFFFF, NV);
        ToX(FcvtToInt(false, W, 6, 1, RNE), ninf, 0xFFFFFFFF80000000, NV);
        ToX(FcvtToInt(false, WU, 6, 1, RNE), ninf, 0, NV);
        ToX(FcvtToInt(false, L, 6, 1, RNE), ninf, 0x8000000000000000, NV);
        ToX(FcvtToInt(false, LU, 6, 1, RNE), pinf, 0xFFFFFFFFFFFFFFFF, NV);
        // Out of range finite values.
        ToX(FcvtToInt(false, W, 6, 1, RNE), S(0x4F32D05E), 0x000000007FFFFFFF, NV);    // 3e9
        ToX(FcvtToInt(false, WU, 6, 1, RNE), S(0x4F32D05E), 0xFFFFFFFFB2D05E00, 0);    // 3e9 fits wu; sign-extended
        ToX(FcvtToInt(false, WU, 6, 1, RNE), S(0xBF800000), 0, NV);                    // -1
        ToX(FcvtToInt(false, WU, 6, 1, RTZ), S(0xBF000000), 0, NX);                    // -0.5 -> -0: representable
        ToX(FcvtToInt(false, WU, 6, 1, RNE), S(0xBF400000), 0, NV);                    // -0.75 rounds to -1
        ToX(FcvtToInt(false, L, 6, 1, RNE), S(0x5F000000), 0x7FFFFFFFFFFFFFFF, NV);    // 2^63
        ToX(FcvtToInt(false, L, 6, 1, RNE), S(0xDF000000), 0x8000000000000000, 0);    // -2^63 exact
        ToX(FcvtToInt(false, LU, 6, 1, RNE), S(0x5F000000), 0x8000000000000000, 0);    // 2^63
        ToX(FcvtToInt(false, LU, 6, 1, RNE), S(0x5F800000), 0xFFFFFFFFFFFFFFFF, NV);   // 2^64
        ToX(FcvtToInt(true, LU, 6, 1, RNE), 0xC000000000000000, 0, NV);                // -2
        ToX(FcvtToInt(true, L, 6, 1, RNE), 0x7FEFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, NV);
        // 2147483647.5: RNE rounds to 2^31 (out of range); RTZ to 2^31-1 (inexact).
        ToX(FcvtToInt(true, W, 6, 1, RNE), 0x41DFFFFFFFE00000, 0x000000007FFFFFFF, NV);
        ToX(FcvtToInt(true, W, 6, 1, RTZ), 0x41DFFFFFFFE00000, 0x000000007FFFFFFF, NX);
        // -2147483648.5: RNE ties to even -2^31 (in range), RDN gives -2^31-1 (out of range).
        ToX(FcvtToInt(true, W, 6, 1, RNE), 0xC1E0000000100000, 0xFFFFFFFF80000000, NX);
        ToX(FcvtToInt(true, W, 6, 1, RDN), 0xC1E0000000100000, 0xFFFFFFFF80000000, NV);
        // 4294967295.5 under RTZ -> 0xFFFFFFFF, sign-extended.
        ToX(FcvtToInt(true, WU, 6, 1, RTZ), 0x41EFFFFFFFF00000, 0xFFFFFFFFFFFFFFFF, NX);
        // Tiny values.
        ToX(FcvtToInt(true, L, 6, 1, RUP), 0x0000000000000001, 1, NX);
        ToX(FcvtToInt(true, L, 6, 1, RDN), 0x8000000000000001, 0xFFFFFFFFFFFFFFFF, NX);
        ToX(FcvtToInt(true, L, 6, 1, RNE), 0x8000000000000000, 0, 0);
    }

    // ---------------------------------------------------------------- integer -> float

    // 2^24 + 1 is a tie between 2^24 (even) and 2^24 + 2.
    [Theory]
    [InlineData(RNE, 0x4B800000u)]
    [InlineData(RTZ, 0x4B800000u)]
    [InlineData(RDN, 0x4B800000u)]
    [InlineData(RUP, 0x4B800001u)]
    [InlineData(RMM, 0x4B800001u)]
    public void FcvtSW_AllModes(int rm, uint expect) =>
        FromX(FcvtFromInt(false, 0, 3, 5, rm), 16777217, S(expect), NX);

    // -(2^53 + 1).
    [Theory]
    [InlineData(RNE, 0xC340000000000000ul)]
    [InlineData(RTZ, 0xC340000000000000ul)]
    [InlineData(RDN, 0xC340000000000001ul)]
    [InlineData(RUP, 0xC340000000000000ul)]
    [InlineData(RMM, 0xC340000000000001ul)]
    public void FcvtDL_AllModes(int rm, ulong expect) =>
        FromX(FcvtFromInt(true, 2, 3, 5, rm), unchecked((ulong)-9007199254740993L), expect, NX);

    [Fact]
    public void FcvtFromInt_Misc()
    {
        FromX(FcvtFromInt(true, 0, 3, 5, RNE), unchecked((ulong)-5L), 0xC014000000000000, 0);          // d.w -5
        FromX(FcvtFromInt(true, 0, 3, 5, RNE), 0x00000000FFFFFFFB, 0xC014000000000000, 0);              // d.w uses low 32 bits
        FromX(FcvtFromInt(true, 1, 3, 5, RNE), 0xFFFFFFFFFFFFFFFF, 0x41EFFFFFFFE00000, 0);              // d.wu 2^32-1
        FromX(FcvtFromInt(false, 3, 3, 5, RNE), 0xFFFFFFFFFFFFFFFF, S(0x5F800000), NX);                // s.lu 2^64-1 -> 2^64
        FromX(FcvtFromInt(false, 3, 3, 5, RTZ), 0xFFFFFFFFFFFFFFFF, S(0x5F7FFFFF), NX);
        FromX(FcvtFromInt(false, 2, 3, 5, RNE), 0x8000000000000000, S(0xDF000000), 0);                 // s.l -2^63
        FromX(FcvtFromInt(true, 3, 3, 5, RNE), 0, 0, 0);                                                // +0
        FromX(FcvtFromInt(false, 0, 3, 5, RNE), 0, S(0), 0);
    }

    // ---------------------------------------------------------------- fcvt.s.d / fcvt.d.s

    [Theory]
    [InlineData(RNE, 0x3EAAAAABu)]
    [InlineData(RTZ, 0x3EAAAAAAu)]
    [InlineData(RDN, 0x3EAAAAAAu)]
    [InlineData(RUP, 0x3EAAAAABu)]
    [InlineData(RMM, 0x3EAAAAABu)]
    public void FcvtSD_AllModes(int rm, uint expect) =>
        Un((d, a) => FcvtSD(d, a, rm), 0x3FD5555555555555, S(expect), NX);

    [Fact]
    public void FcvtSD_Special()
    {
        Un((d, a) => FcvtSD(d, a, RNE), 0x7E37E43C8800759C, S(0x7F800000), OF | NX); // 1e300
        Un((d, a) => FcvtSD(d, a, RTZ), 0x7E37E43C8800759C, S(0x7F7FFFFF), OF | NX);
        Un((d, a) => FcvtSD(d, a, RNE), 0x01A56E1FC2F8F359, S(0x00000000), UF | NX); // 1e-300
        Un((d, a) => FcvtSD(d, a, RUP), 0x01A56E1FC2F8F359, S(0x00000001), UF | NX);
        Un((d, a) => FcvtSD(d, a, RNE), 0x7FF0000000000001, CanonS, NV);
        Un((d, a) => FcvtSD(d, a, RNE), 0xFFF8000000000000, CanonS, 0);
        Un((d, a) => FcvtSD(d, a, RNE), 0xFFF0000000000000, S(0xFF800000), 0);
        Un((d, a) => FcvtSD(d, a, RNE), 0x8000000000000000, S(0x80000000), 0);
        Un((d, a) => FcvtSD(d, a, RNE), 0x3FF0000000000000, S(0x3F800000), 0);
        // 1.5 * 2^-149: a tie between 2^-149 (odd) and 2^-148 (even) in the subnormal grid -> 2^-148.
        Un((d, a) => FcvtSD(d, a, RNE), 0x36A8000000000000, S(0x00000002), UF | NX);
    }

    [Fact]
    public void FcvtDS_Exact()
    {
        Un((d, a) => FcvtDS(d, a, RNE), S(0x3EAAAAAB), 0x3FD5555560000000, 0);
        Un((d, a) => FcvtDS(d, a, RNE), S(0x00000001), 0x36A0000000000000, 0); // 2^-149
        Un((d, a) => FcvtDS(d, a, RNE), S(0xFF800000), 0xFFF0000000000000, 0);
        Un((d, a) => FcvtDS(d, a, RNE), S(0x7F800001), CanonD, NV);
        Un((d, a) => FcvtDS(d, a, RNE), S(0x7FC00001), CanonD, 0);
    }

    // ---------------------------------------------------------------- rounding-mode legality, flags

    [Theory]
    [InlineData(5, 0u)]
    [InlineData(6, 0u)]
    [InlineData(DYN, 5u)]
    [InlineData(DYN, 6u)]
    [InlineData(DYN, 7u)]
    public void IllegalRoundingMode_ReturnsFalse(int rm, uint frm)
    {
        var h = Hart(frm);
        h.F[1] = S(0x3F800000); h.F[2] = S(0x33800000); h.F[3] = 0x1234;
        Assert.False(Run(h, Fadd(false, 3, 1, 2, rm)));
        Assert.Equal(0x1234ul, h.F[3]);
        Assert.Equal(0u, h.Fflags);
        Assert.False(Run(h, FcvtToInt(true, 0, 6, 1, rm)));
        Assert.False(Run(h, Fmadd(true, 4, 1, 2, 3, rm)));
        Assert.False(Run(h, FcvtDS(4, 1, rm)));
    }

    [Fact]
    public void DynamicRoundingMode_UsesFrm()
    {
        var h = Hart(RUP);
        h.F[1] = S(0x3F800000); h.F[2] = S(0x33800000);
        Exec(h, Fadd(false, 3, 1, 2, DYN));
        Assert.Equal(S(0x3F800001), h.F[3]);
        h.Frm = RDN;
        Exec(h, Fadd(false, 3, 1, 2, DYN));
        Assert.Equal(S(0x3F800000), h.F[3]);
    }

    [Fact]
    public void OpsWithoutRmField_IgnoreInvalidFrm()
    {
        var h = Hart(7);
        h.F[1] = 0x3FF0000000000000; h.F[2] = 0xBFF0000000000000;
        Assert.True(Run(h, Fsgnj(true, 3, 1, 2)));
        Assert.Equal(0xBFF0000000000000ul, h.F[3]);
        Assert.True(Run(h, Fmin(true, 3, 1, 2)));
        Assert.True(Run(h, Flt(true, 6, 1, 2)));
        Assert.True(Run(h, Fclass(true, 6, 1)));
        Assert.True(Run(h, FmvXD(6, 1)));
        Assert.True(Run(h, FmvDX(3, 6)));
    }

    [Fact]
    public void FlagsAccrue()
    {
        var h = Hart();
        h.Fflags = NV;
        h.F[1] = S(0x3F800000); h.F[2] = S(0x40400000);
        Exec(h, Fdiv(false, 3, 1, 2, RNE));
        Assert.Equal(NV | NX, h.Fflags);
        Assert.Equal(0u, h.Frm);
    }

    // ---------------------------------------------------------------- decoder

    [Fact]
    public void Decoder_Fields()
    {
        var d = Decode(Fmadd(true, 7, 8, 9, 10, RMM));
        Assert.Equal(Op.Fp, d.Op);
        Assert.Equal((byte)FpOp.FmaddD, d.Sub);
        Assert.Equal((7, 8, 9, 10, 4), ((int)d.Rd, (int)d.Rs1, (int)d.Rs2, (int)d.Rs3, (int)d.Rm));
        Assert.Equal(Fmadd(true, 7, 8, 9, 10, RMM), d.Raw);
        Assert.Equal((byte)FpOp.FnmsubS, Decode(Fnmsub(false, 1, 2, 3, 4, DYN)).Sub);
        Assert.Equal((byte)FpOp.FcvtLuS, Decode(FcvtToInt(false, 3, 1, 2, RTZ)).Sub);
        Assert.Equal((byte)FpOp.FcvtDWu, Decode(FcvtFromInt(true, 1, 1, 2, RTZ)).Sub);
        Assert.Equal((byte)FpOp.FcvtSD, Decode(FcvtSD(1, 2, RNE)).Sub);
        Assert.Equal((byte)FpOp.FcvtDS, Decode(FcvtDS(1, 2, RNE)).Sub);
        Assert.Equal((byte)FpOp.FleD, Decode(Fle(true, 1, 2, 3)).Sub);
        Assert.Equal((byte)FpOp.FmvWX, Decode(FmvWX(1, 2)).Sub);
        // Real encodings from the GNU assembler: fadd.d fa0,fa0,fa1 (dyn) = 0x02b57553; fmv.x.w a0,fa0 = 0xe0050553.
        Assert.Equal((byte)FpOp.FaddD, Decode(0x02b57553).Sub);
        Assert.Equal((byte)FpOp.FmvXW, Decode(0xe0050553).Sub);
    }

    [Theory]
    [InlineData(0x04000053u)] // fadd with fmt = 10 (H is not implemented)
    [InlineData(0x06000053u)] // fadd with fmt = 11 (Q)
    [InlineData(0x04000043u)] // fmadd fmt = 10
    [InlineData(0x06000043u)] // fmadd fmt = 11
    [InlineData(0x58100053u)] // fsqrt.s with rs2 = 1
    [InlineData(0x20003053u)] // fsgnj.s funct3 = 3
    [InlineData(0x28002053u)] // fmin.s funct3 = 2
    [InlineData(0xA0003053u)] // fcmp.s funct3 = 3
    [InlineData(0xC0400053u)] // fcvt.w.s rs2 = 4
    [InlineData(0xD0500053u)] // fcvt.s.w rs2 = 5
    [InlineData(0xE0100053u)] // fmv.x.w rs2 = 1
    [InlineData(0xE0002053u)] // funct5 11100 funct3 = 2
    [InlineData(0xF0001053u)] // fmv.w.x funct3 = 1
    [InlineData(0x40000053u)] // fcvt.s.s (funct7 0100000, rs2 = 0)
    [InlineData(0x42100053u)] // fcvt.d.d (funct7 0100001, rs2 = 1)
    [InlineData(0x0C000053u)] // funct5 00001 fmt 10
    [InlineData(0x30000053u)] // funct5 00110: unassigned
    [InlineData(0x00000013u)] // addi: not an FP opcode
    [InlineData(0x00002007u)] // flw: loads are not handled here
    public void Decoder_RejectsInvalid(uint raw)
    {
        var d = new DecodedInsn();
        Assert.False(FpDecoder.TryDecode(raw, ref d));
    }
}
