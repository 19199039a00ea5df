using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>The M extension (unprivileged ISA chapter "M" Extension): MULH/MULHSU/MULHU return the upper
/// 64 bits of the 128-bit product; division rounds toward zero; and table "Semantics for division by
/// zero and division overflow": x/0 = -1 (all ones, also for DIVU), x%0 = x, and the overflow
/// -2^(L-1) / -1 = -2^(L-1) with remainder 0. The *W forms use the low 32 bits and sign-extend the
/// 32-bit result, including DIVUW/REMUW.</summary>
public abstract class MulDivTests(EngineKind engine)
{
    private ulong Binary(uint insn, ulong a, ulong b) => CpuFixture.Binary(insn, a, b, engine);

    private const ulong Min64 = 0x8000_0000_0000_0000;
    private const ulong Max64 = 0x7fff_ffff_ffff_ffff;
    private const ulong Ones = ulong.MaxValue;

    private static ulong N(long v) => unchecked((ulong)v);

    // (a, b) -> (mul, mulh, mulhsu, mulhu), derived by hand:
    //  Min64 * -1: signed 2^63 = 0x0..0:8000..; unsigned 2^63*(2^64-1) = (2^63-1)*2^64 + 2^63;
    //              signed*unsigned -2^63*(2^64-1) = -2^127 + 2^63 -> high 0x8000.., low 0x8000..
    //  -1 * -1:    signed 1; unsigned (2^64-1)^2 = (2^64-2)*2^64 + 1; s*u -(2^64-1) -> high all ones
    //  Min64*Min64: 2^126 -> high 2^62; unsigned 2^126 too; s*u -2^63*2^63 = -2^126 -> high -2^62
    //  Max64*Min64: -2^126 + 2^63 -> high -2^62, low 2^63; s*u same as signed (b as unsigned is 2^63:
    //              (2^63-1)*2^63 = 2^126 - 2^63 -> high 2^62 - 1)
    //  2 * -1:     s*u 2*(2^64-1) = 2^65 - 2 -> high 1
    [Theory]
    [InlineData(Min64, Ones, Min64, 0UL, Min64, Max64)]
    [InlineData(Ones, Ones, 1UL, 0UL, Ones, 0xffff_ffff_ffff_fffeUL)]
    [InlineData(Min64, Min64, 0UL, 0x4000_0000_0000_0000UL, 0xc000_0000_0000_0000UL, 0x4000_0000_0000_0000UL)]
    [InlineData(Max64, Min64, Min64, 0xc000_0000_0000_0000UL, 0x3fff_ffff_ffff_ffffUL, 0x3fff_ffff_ffff_ffffUL)]
    [InlineData(2UL, Ones, 0xffff_ffff_ffff_fffeUL, Ones, 1UL, 1UL)]
    [InlineData(0x1_0000_0000UL, 0x1_0000_0000UL, 0UL, 1UL, 1UL, 1UL)]
    public void Multiply(ulong a, ulong b, ulong mul, ulong mulh, ulong mulhsu, ulong mulhu)
    {
        Assert.Equal(mul, Binary(Mul(3, 1, 2), a, b));
        Assert.Equal(mulh, Binary(Mulh(3, 1, 2), a, b));
        Assert.Equal(mulhsu, Binary(Mulhsu(3, 1, 2), a, b));
        Assert.Equal(mulhu, Binary(Mulhu(3, 1, 2), a, b));
    }

    [Fact]
    public void Mulhsu_IsNotSymmetric()
    {
        // rs1 = 2 (signed), rs2 = -1 taken unsigned -> high 1; swapped: -1 * 2 = -2 -> high all ones.
        Assert.Equal(1UL, Binary(Mulhsu(3, 1, 2), 2, Ones));
        Assert.Equal(Ones, Binary(Mulhsu(3, 1, 2), Ones, 2));
    }

    [Theory]
    [InlineData(0x7fff_ffffUL, 2UL, 0xffff_ffff_ffff_fffeUL)]       // 0xffff_fffe sign-extended
    [InlineData(0x1_0000_0003UL, 0x2_0000_0005UL, 15UL)]            // upper halves ignored
    [InlineData(0x8000_0000UL, 0xffff_ffffUL, 0xffff_ffff_8000_0000UL)] // -2^31 * -1 wraps to -2^31
    public void Mulw_SignExtendsLow32(ulong a, ulong b, ulong expected) =>
        Assert.Equal(expected, Binary(Mulw(3, 1, 2), a, b));

    [Theory]
    [InlineData(-7L, 2L, -3L, -1L)]     // truncation toward zero; remainder takes dividend's sign
    [InlineData(7L, -2L, -3L, 1L)]
    [InlineData(-7L, -2L, 3L, -1L)]
    [InlineData(-7L, 0L, -1L, -7L)]     // by zero: quotient -1, remainder = dividend
    [InlineData(0L, 0L, -1L, 0L)]
    [InlineData(long.MinValue, -1L, long.MinValue, 0L)] // overflow
    [InlineData(long.MinValue, 1L, long.MinValue, 0L)]
    [InlineData(long.MinValue, 0L, -1L, long.MinValue)]
    public void Div_Rem(long a, long b, long q, long r)
    {
        Assert.Equal(N(q), Binary(Div(3, 1, 2), N(a), N(b)));
        Assert.Equal(N(r), Binary(Rem(3, 1, 2), N(a), N(b)));
    }

    [Theory]
    [InlineData(Ones, 2UL, Max64, 1UL)]
    [InlineData(7UL, 0UL, Ones, 7UL)]             // by zero: all ones, remainder = dividend
    [InlineData(Min64, 0UL, Ones, Min64)]
    [InlineData(Min64, Ones, 0UL, Min64)]         // unsigned: no overflow case
    [InlineData(Ones, Ones, 1UL, 0UL)]
    public void Divu_Remu(ulong a, ulong b, ulong q, ulong r)
    {
        Assert.Equal(q, Binary(Divu(3, 1, 2), a, b));
        Assert.Equal(r, Binary(Remu(3, 1, 2), a, b));
    }

    [Theory]
    // a, b (full registers; only the low 32 bits count), divw, remw
    [InlineData(0x1234_5678_8000_0000UL, Ones, 0xffff_ffff_8000_0000UL, 0UL)]   // INT32_MIN / -1
    [InlineData(0x0000_0000_8000_0000UL, 0x0000_0000_ffff_ffffUL, 0xffff_ffff_8000_0000UL, 0UL)]
    [InlineData(0x0000_0000_8000_0001UL, 0UL, Ones, 0xffff_ffff_8000_0001UL)]   // by zero
    [InlineData(0xffff_ffff_ffff_fff9UL, 2UL, 0xffff_ffff_ffff_fffdUL, Ones)]    // -7/2 = -3 r -1
    [InlineData(0xffff_ffff_0000_0006UL, 0x0000_0001_0000_0003UL, 2UL, 0UL)]     // upper halves ignored
    [InlineData(0x0000_0000_0000_0007UL, 0x0000_0001_0000_0000UL, Ones, 7UL)]    // low half of b is 0
    public void Divw_Remw(ulong a, ulong b, ulong q, ulong r)
    {
        Assert.Equal(q, Binary(Divw(3, 1, 2), a, b));
        Assert.Equal(r, Binary(Remw(3, 1, 2), a, b));
    }

    [Theory]
    // divuw, remuw: 32-bit unsigned, result sign-extended from bit 31
    [InlineData(5UL, 0UL, Ones, 5UL)]                                          // 0xffff_ffff -> all ones
    [InlineData(0x8000_0001UL, 0UL, Ones, 0xffff_ffff_8000_0001UL)]
    [InlineData(0x8000_0000UL, 1UL, 0xffff_ffff_8000_0000UL, 0UL)]
    [InlineData(0xffff_fffeUL, 2UL, 0x7fff_ffffUL, 0UL)]
    [InlineData(0xffff_ffffUL, 0x10UL, 0x0fff_ffffUL, 15UL)]
    [InlineData(0x1234_5678_0000_0009UL, 0xffff_ffff_0000_0004UL, 2UL, 1UL)]
    public void Divuw_Remuw(ulong a, ulong b, ulong q, ulong r)
    {
        Assert.Equal(q, Binary(Divuw(3, 1, 2), a, b));
        Assert.Equal(r, Binary(Remuw(3, 1, 2), a, b));
    }
}

public sealed class MulDivTestsOnInterpreter() : MulDivTests(EngineKind.Interpreter);

public sealed class MulDivTestsOnJit() : MulDivTests(EngineKind.Jit);
