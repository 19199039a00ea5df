using System.Numerics;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Fpu;
using static Bulwark.Tests.Fpu.FpEnc;
using FpuExec = Bulwark.Machine.Cpu.Fpu.Fpu;

namespace Bulwark.Tests.Fpu;

/// <summary>Randomised checks against independent oracles: the host's IEEE round-to-nearest-even
/// arithmetic, and exact rational arithmetic (BigInteger) for the directed rounding modes.</summary>
public class FpuOracleTests
{
    private const ulong Box = 0xFFFF_FFFF_0000_0000UL;
    private const uint NX = 1;

    private static (ulong res, uint flags) Run3(uint raw, ulong a, ulong b, ulong c = 0, uint initFlags = 0)
    {
        var h = new HartState();
        h.Fflags = initFlags;
        h.F[1] = a; h.F[2] = b; h.F[3] = c;
        var d = new DecodedInsn();
        Assert.True(FpDecoder.TryDecode(raw, ref d));
        Assert.True(FpuExec.Execute(h, d));
        return (h.F[4], h.Fflags);
    }

    /// <summary>Random doubles: mostly moderate exponents, some extreme, some with short significands
    /// (so that ties and exact results happen), and occasionally special values.</summary>
    private static ulong RandD(Random r)
    {
        ulong sign = (ulong)r.Next(2) << 63;
        int k = r.Next(20);
        if (k == 0)
        {
            ulong[] sp = [0, 0x7FF0000000000000, 0x7FF8000000000000, 0x7FF0000000000001, 1, 0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x7FEFFFFFFFFFFFFF, 0x3FF0000000000000];
            return sign | sp[r.Next(sp.Length)];
        }
        ulong exp = k switch
        {
            1 => (ulong)r.Next(0, 60),               // subnormal / tiny
            2 => (ulong)r.Next(2000, 2047),          // huge
            _ => (ulong)r.Next(1023 - 40, 1023 + 40),
        };
        ulong frac = (ulong)r.NextInt64() & 0xFFFFFFFFFFFFF;
        if (r.Next(3) == 0) frac &= ~((1UL << r.Next(52)) - 1); // short significand
        return sign | (exp << 52) | frac;
    }

    private static uint RandS(Random r)
    {
        uint sign = (uint)r.Next(2) << 31;
        int k = r.Next(20);
        if (k == 0)
        {
            uint[] sp = [0, 0x7F800000, 0x7FC00000, 0x7F800001, 1, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0x3F800000];
            return sign | sp[r.Next(sp.Length)];
        }
        uint exp = k switch
        {
            1 => (uint)r.Next(0, 30),
            2 => (uint)r.Next(230, 255),
            _ => (uint)r.Next(127 - 20, 127 + 20),
        };
        uint frac = (uint)r.Next() & 0x7FFFFF;
        if (r.Next(3) == 0) frac &= ~((1u << r.Next(23)) - 1);
        return sign | (exp << 23) | frac;
    }

    private static ulong CanonD(double v) => double.IsNaN(v) ? 0x7FF8000000000000 : (ulong)BitConverter.DoubleToInt64Bits(v);
    private static uint CanonS(float v) => float.IsNaN(v) ? 0x7FC00000u : BitConverter.SingleToUInt32Bits(v);

    [Fact]
    public void Double_RNE_MatchesHost()
    {
        var r = new Random(12345);
        for (int i = 0; i < 100_000; i++)
        {
            ulong a = RandD(r), b = RandD(r), c = RandD(r);
            double x = BitConverter.UInt64BitsToDouble(a), y = BitConverter.UInt64BitsToDouble(b), z = BitConverter.UInt64BitsToDouble(c);
            Check(Fadd(true, 4, 1, 2, RNE), CanonD(x + y));
            Check(Fsub(true, 4, 1, 2, RNE), CanonD(x - y));
            Check(Fmul(true, 4, 1, 2, RNE), CanonD(x * y));
            Check(Fdiv(true, 4, 1, 2, RNE), CanonD(x / y));
            Check(Fsqrt(true, 4, 1, RNE), CanonD(Math.Sqrt(x)));
            Check(Fmadd(true, 4, 1, 2, 3, RNE), CanonD(Math.FusedMultiplyAdd(x, y, z)));
            Check(Fnmsub(true, 4, 1, 2, 3, RNE), CanonD(Math.FusedMultiplyAdd(-x, y, z)));
            Check(FcvtSD(4, 1, RNE), Box | CanonS((float)x));

            void Check(uint raw, ulong expect)
            {
                var (res, flags) = Run3(raw, a, b, c);
                if (res != expect)
                    Assert.Fail($"0x{raw:x8} a={a:x16} b={b:x16} c={c:x16}: got {res:x16}, host {expect:x16}");
                // With NX already accrued (the emulator may take a host fast path): same value, and the
                // other flags must still be exactly those of the exact computation.
                var (res2, flags2) = Run3(raw, a, b, c, NX);
                if (res2 != expect || flags2 != (flags | NX))
                    Assert.Fail($"NX preset: 0x{raw:x8} a={a:x16} b={b:x16} c={c:x16}: got {res2:x16}/{flags2}, expected {expect:x16}/{flags | NX}");
            }
        }
    }

    [Fact]
    public void Single_RNE_MatchesHost()
    {
        var r = new Random(54321);
        for (int i = 0; i < 100_000; i++)
        {
            uint a = RandS(r), b = RandS(r), c = RandS(r);
            float x = BitConverter.UInt32BitsToSingle(a), y = BitConverter.UInt32BitsToSingle(b), z = BitConverter.UInt32BitsToSingle(c);
            Check(Fadd(false, 4, 1, 2, RNE), CanonS(x + y));
            Check(Fsub(false, 4, 1, 2, RNE), CanonS(x - y));
            Check(Fmul(false, 4, 1, 2, RNE), CanonS(x * y));
            Check(Fdiv(false, 4, 1, 2, RNE), CanonS(x / y));
            Check(Fsqrt(false, 4, 1, RNE), CanonS(MathF.Sqrt(x)));
            Check(Fmadd(false, 4, 1, 2, 3, RNE), CanonS(MathF.FusedMultiplyAdd(x, y, z)));
            Check(Fmsub(false, 4, 1, 2, 3, RNE), CanonS(MathF.FusedMultiplyAdd(x, y, -z)));

            void Check(uint raw, uint expect)
            {
                var (res, flags) = Run3(raw, Box | a, Box | b, Box | c);
                if (res != (Box | expect))
                    Assert.Fail($"0x{raw:x8} a={a:x8} b={b:x8} c={c:x8}: got {res:x16}, host {expect:x8}");
                var (res2, flags2) = Run3(raw, Box | a, Box | b, Box | c, NX);
                if (res2 != (Box | expect) || flags2 != (flags | NX))
                    Assert.Fail($"NX preset: 0x{raw:x8} a={a:x8} b={b:x8} c={c:x8}: got {res2:x16}/{flags2}, expected {expect:x8}/{flags | NX}");
            }
        }
    }

    [Fact]
    public void IntConversions_MatchHost()
    {
        var r = new Random(777);
        for (int i = 0; i < 50_000; i++)
        {
            long v = r.Next(4) switch { 0 => r.NextInt64(), 1 => -r.NextInt64(), 2 => r.Next(-100000, 100000), _ => r.NextInt64() >> r.Next(64) };
            var h = new HartState();
            h.X[5] = (ulong)v;
            Exec(h, FcvtFromInt(true, 2, 3, 5, RNE));
            Assert.Equal((ulong)BitConverter.DoubleToInt64Bits(v), h.F[3]);
            Exec(h, FcvtFromInt(true, 3, 3, 5, RNE));
            Assert.Equal((ulong)BitConverter.DoubleToInt64Bits((ulong)v), h.F[3]);
            Exec(h, FcvtFromInt(false, 2, 3, 5, RNE));
            Assert.Equal(Box | BitConverter.SingleToUInt32Bits(v), h.F[3]);
            Exec(h, FcvtFromInt(false, 1, 3, 5, RNE));
            Assert.Equal(Box | BitConverter.SingleToUInt32Bits((uint)v), h.F[3]);

            // Truncating conversions back, for in-range values (host casts truncate toward zero).
            double dv = BitConverter.UInt64BitsToDouble(RandD(r));
            h.F[1] = (ulong)BitConverter.DoubleToInt64Bits(dv);
            h.Fflags = 0;
            Exec(h, FcvtToInt(true, 2, 6, 1, RTZ));
            if (!double.IsNaN(dv) && dv > -9.3e18 && dv < 9.2e18)
            {
                Assert.Equal((ulong)(long)dv, h.X[6]);
                Assert.Equal(Math.Truncate(dv) != dv ? NX : 0u, h.Fflags);
            }
            else Assert.Equal(16u, h.Fflags);
        }
    }

    private static void Exec(HartState h, uint raw)
    {
        var d = new DecodedInsn();
        Assert.True(FpDecoder.TryDecode(raw, ref d));
        Assert.True(FpuExec.Execute(h, d));
    }

    // ---------------------------------------------------------------- exact rational oracle

    private readonly record struct Q(BigInteger N, BigInteger D) // D > 0
    {
        public static Q Of(double v)
        {
            long bits = BitConverter.DoubleToInt64Bits(v);
            int e = (int)((bits >> 52) & 0x7FF);
            BigInteger m = bits & 0xFFFFFFFFFFFFF;
            if (e == 0) e = 1; else m += BigInteger.One << 52;
            e -= 1075;
            if (bits < 0) m = -m;
            return e >= 0 ? new Q(m << e, 1) : new Q(m, BigInteger.One << -e);
        }
        public static Q Of(float v) => Of((double)v);
        public static Q operator +(Q a, Q b) => new(a.N * b.D + b.N * a.D, a.D * b.D);
        public static Q operator *(Q a, Q b) => new(a.N * b.N, a.D * b.D);
        public static Q operator /(Q a, Q b) => b.N.Sign < 0 ? new(-a.N * b.D, a.D * -b.N) : new(a.N * b.D, a.D * b.N);
        public static int Cmp(Q a, Q b) => (a.N * b.D).CompareTo(b.N * a.D);
        public static Q Mid(Q a, Q b) => new(a.N * b.D + b.N * a.D, 2 * a.D * b.D);
    }

    /// <summary>Checks that r is the correctly rounded value of v under rm, given r's neighbours
    /// lo &lt; r &lt; hi (as rationals; null = beyond the finite range), and that NX matches.</summary>
    private static void CheckRounding(Q v, Q r, Q? lo, Q? hi, int rm, bool nx, string ctx)
    {
        int c = Q.Cmp(v, r);
        Assert.True(nx == (c != 0), $"NX mismatch {ctx}");
        if (c == 0) return;
        bool neg = v.N.Sign < 0;
        // Interval check.
        bool aboveLo = lo is null || Q.Cmp(v, lo.Value) > 0;
        bool belowHi = hi is null || Q.Cmp(v, hi.Value) < 0;
        Assert.True(aboveLo && belowHi, $"result not adjacent to exact value {ctx}");
        int dir = rm switch { RTZ => neg ? +1 : -1, RDN => -1, RUP => +1, _ => 0 };
        if (dir != 0)
        {
            // r must be on the side given by dir: r <= v (dir -1) or r >= v (dir +1).
            Assert.True(dir < 0 ? c > 0 : c < 0, $"wrong direction rm={rm} {ctx}");
            return;
        }
        Q? other = c > 0 ? hi : lo;
        if (other is null) return;
        int cm = Q.Cmp(v, Q.Mid(r, other.Value));
        if (c > 0) Assert.True(cm <= 0, $"not nearest {ctx}"); else Assert.True(cm >= 0, $"not nearest {ctx}");
        if (cm == 0)
        {
            if (rm == RMM)
                Assert.True(BigInteger.Abs(r.N) * other.Value.D > BigInteger.Abs(other.Value.N) * r.D, $"RMM tie {ctx}");
            // RNE tie-to-even is checked by the caller, which knows the bits.
        }
    }

    [Fact]
    public void Double_DirectedModes_AgainstExactArithmetic()
    {
        var r = new Random(2024);
        int[] modes = [RNE, RTZ, RDN, RUP, RMM];
        for (int i = 0; i < 20_000; i++)
        {
            ulong a = RandD(r), b = RandD(r), c = RandD(r);
            double x = BitConverter.UInt64BitsToDouble(a), y = BitConverter.UInt64BitsToDouble(b), z = BitConverter.UInt64BitsToDouble(c);
            if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z)) continue;
            foreach (int rm in modes)
            {
                Do(Fadd(true, 4, 1, 2, rm), Q.Of(x) + Q.Of(y), x + y, rm);
                Do(Fmul(true, 4, 1, 2, rm), Q.Of(x) * Q.Of(y), x * y, rm);
                if (y != 0) Do(Fdiv(true, 4, 1, 2, rm), Q.Of(x) / Q.Of(y), x / y, rm);
                Do(Fmadd(true, 4, 1, 2, 3, rm), Q.Of(x) * Q.Of(y) + Q.Of(z), Math.FusedMultiplyAdd(x, y, z), rm);
            }

            void Do(uint raw, Q exact, double host, int rm)
            {
                // Skip overflow and exact zero (sign rules are covered elsewhere).
                if (!double.IsFinite(host) || Math.Abs(host) == double.MaxValue || exact.N.IsZero) return;
                var (res, flags) = Run3(raw, a, b, c);
                double rv = BitConverter.UInt64BitsToDouble(res);
                string ctx = $"0x{raw:x8} a={a:x16} b={b:x16} c={c:x16} -> {res:x16} flags {flags}";
                Assert.True(double.IsFinite(rv), ctx);
                Assert.Equal(0u, flags & ~3u); // only NX/UF possible here
                double up = Math.BitIncrement(rv), dn = Math.BitDecrement(rv);
                Q? hi = double.IsFinite(up) ? Q.Of(up) : null, lo = double.IsFinite(dn) ? Q.Of(dn) : null;
                if (rv == 0) { hi = Q.Of(double.Epsilon); lo = Q.Of(-double.Epsilon); }
                CheckRounding(exact, Q.Of(rv), lo, hi, rm, (flags & NX) != 0, ctx);
                if (rm == RNE) Assert.Equal(CanonD(host), res); // ties-to-even via the host
            }
        }
    }

    [Fact]
    public void Single_DirectedModes_AgainstExactArithmetic()
    {
        var r = new Random(4096);
        int[] modes = [RNE, RTZ, RDN, RUP, RMM];
        for (int i = 0; i < 20_000; i++)
        {
            uint a = RandS(r), b = RandS(r), c = RandS(r);
            float x = BitConverter.UInt32BitsToSingle(a), y = BitConverter.UInt32BitsToSingle(b), z = BitConverter.UInt32BitsToSingle(c);
            if (!float.IsFinite(x) || !float.IsFinite(y) || !float.IsFinite(z)) continue;
            foreach (int rm in modes)
            {
                Do(Fadd(false, 4, 1, 2, rm), Q.Of(x) + Q.Of(y), x + y, rm);
                Do(Fmul(false, 4, 1, 2, rm), Q.Of(x) * Q.Of(y), x * y, rm);
                if (y != 0) Do(Fdiv(false, 4, 1, 2, rm), Q.Of(x) / Q.Of(y), x / y, rm);
                Do(Fnmadd(false, 4, 1, 2, 3, rm), new Q(-1, 1) * (Q.Of(x) * Q.Of(y) + Q.Of(z)), -MathF.FusedMultiplyAdd(x, y, z), rm);
                if (x > 0)
                    DoSqrt(rm);
            }

            void Do(uint raw, Q exact, float host, int rm)
            {
                if (!float.IsFinite(host) || Math.Abs(host) == float.MaxValue || exact.N.IsZero) return;
                var (res, flags) = Run3(raw, Box | a, Box | b, Box | c);
                Assert.Equal(Box, res & Box);
                float rv = BitConverter.UInt32BitsToSingle((uint)res);
                string ctx = $"0x{raw:x8} a={a:x8} b={b:x8} c={c:x8} -> {res:x16} flags {flags}";
                Assert.True(float.IsFinite(rv), ctx);
                Assert.Equal(0u, flags & ~3u);
                float up = MathF.BitIncrement(rv), dn = MathF.BitDecrement(rv);
                Q? hi = float.IsFinite(up) ? Q.Of(up) : null, lo = float.IsFinite(dn) ? Q.Of(dn) : null;
                if (rv == 0) { hi = Q.Of(float.Epsilon); lo = Q.Of(-float.Epsilon); }
                CheckRounding(exact, Q.Of(rv), lo, hi, rm, (flags & NX) != 0, ctx);
                if (rm == RNE) Assert.Equal(Box | CanonS(host), res);
            }

            void DoSqrt(int rm)
            {
                var (res, flags) = Run3(Fsqrt(false, 4, 1, rm), Box | a, 0);
                float rv = BitConverter.UInt32BitsToSingle((uint)res);
                Q q = Q.Of(rv), sq = q * q, ex = Q.Of(x);
                int cmp = Q.Cmp(sq, ex);
                Assert.True(((flags & NX) != 0) == (cmp != 0));
                Q up = Q.Of(MathF.BitIncrement(rv)), dn = Q.Of(MathF.BitDecrement(rv));
                switch (rm)
                {
                    case RTZ or RDN: Assert.True(cmp <= 0 && Q.Cmp(up * up, ex) > 0); break;
                    case RUP: Assert.True(cmp >= 0 && Q.Cmp(dn * dn, ex) < 0); break;
                    default:
                        Q m1 = Q.Mid(dn, q), m2 = Q.Mid(q, up);
                        Assert.True(Q.Cmp(m1 * m1, ex) < 0 && Q.Cmp(m2 * m2, ex) > 0);
                        break;
                }
            }
        }
    }

    [Fact]
    public void Conversions_AllModes_AgainstExactArithmetic()
    {
        var r = new Random(99);
        int[] modes = [RNE, RTZ, RDN, RUP, RMM];
        for (int i = 0; i < 20_000; i++)
        {
            ulong a = RandD(r);
            double x = BitConverter.UInt64BitsToDouble(a);
            long li = r.Next(3) switch { 0 => r.NextInt64(), 1 => -r.NextInt64(), _ => r.NextInt64() >> r.Next(64) };
            foreach (int rm in modes)
            {
                var h = new HartState();
                // fcvt.s.d
                if (double.IsFinite(x) && x != 0 && Math.Abs(x) < float.MaxValue)
                {
                    h.F[1] = a;
                    Exec(h, FcvtSD(3, 1, rm));
                    float rv = BitConverter.UInt32BitsToSingle((uint)h.F[3]);
                    Assert.Equal(Box, h.F[3] & Box);
                    Assert.True(float.IsFinite(rv));
                    float up = MathF.BitIncrement(rv), dn = MathF.BitDecrement(rv);
                    Q? hi = float.IsFinite(up) ? Q.Of(up) : null, lo = float.IsFinite(dn) ? Q.Of(dn) : null;
                    if (rv == 0) { hi = Q.Of(float.Epsilon); lo = Q.Of(-float.Epsilon); }
                    string ctx = $"fcvt.s.d rm={rm} {a:x16} -> {h.F[3]:x16}";
                    CheckRounding(Q.Of(x), Q.Of(rv), lo, hi, rm, (h.Fflags & NX) != 0, ctx);
                    if (rm == RNE) Assert.Equal(Box | BitConverter.SingleToUInt32Bits((float)x), h.F[3]);
                    Assert.Equal(0u, h.Fflags & ~3u);
                }
                // fcvt.d.l and fcvt.s.l
                h.Fflags = 0;
                h.X[5] = (ulong)li;
                Exec(h, FcvtFromInt(true, 2, 3, 5, rm));
                double dv = BitConverter.UInt64BitsToDouble(h.F[3]);
                CheckRounding(new Q(li, 1), Q.Of(dv), Q.Of(Math.BitDecrement(dv)), Q.Of(Math.BitIncrement(dv)), rm, h.Fflags == NX, $"fcvt.d.l {li} rm={rm}");
                h.Fflags = 0;
                Exec(h, FcvtFromInt(false, 2, 3, 5, rm));
                float fv = BitConverter.UInt32BitsToSingle((uint)h.F[3]);
                CheckRounding(new Q(li, 1), Q.Of(fv), Q.Of(MathF.BitDecrement(fv)), Q.Of(MathF.BitIncrement(fv)), rm, h.Fflags == NX, $"fcvt.s.l {li} rm={rm}");
                // fcvt.l.d for in-range values, against the host's floor/ceiling/rounding.
                if (double.IsFinite(x) && Math.Abs(x) < 9.2e18)
                {
                    double expect = rm switch
                    {
                        RNE => Math.Round(x, MidpointRounding.ToEven),
                        RTZ => Math.Truncate(x),
                        RDN => Math.Floor(x),
                        RUP => Math.Ceiling(x),
                        _ => Math.Round(x, MidpointRounding.AwayFromZero),
                    };
                    h.Fflags = 0;
                    h.F[1] = a;
                    Exec(h, FcvtToInt(true, 2, 6, 1, rm));
                    Assert.Equal((long)expect, (long)h.X[6]);
                    Assert.Equal(Math.Truncate(x) != x ? NX : 0u, h.Fflags);
                }
            }
        }
    }

    [Fact]
    public void DoubleSqrt_AllModes_AgainstExactArithmetic()
    {
        var r = new Random(31337);
        int[] modes = [RNE, RTZ, RDN, RUP, RMM];
        for (int i = 0; i < 20_000; i++)
        {
            ulong a = RandD(r) & ~(1UL << 63);
            double x = BitConverter.UInt64BitsToDouble(a);
            if (!double.IsFinite(x) || x == 0) continue;
            foreach (int rm in modes)
            {
                var (res, flags) = Run3(Fsqrt(true, 4, 1, rm), a, 0);
                double rv = BitConverter.UInt64BitsToDouble(res);
                Q q = Q.Of(rv), ex = Q.Of(x);
                int cmp = Q.Cmp(q * q, ex);
                Assert.Equal(cmp != 0 ? NX : 0u, flags);
                Q up = Q.Of(Math.BitIncrement(rv)), dn = Q.Of(Math.BitDecrement(rv));
                switch (rm)
                {
                    case RTZ or RDN: Assert.True(cmp <= 0 && Q.Cmp(up * up, ex) > 0); break;
                    case RUP: Assert.True(cmp >= 0 && Q.Cmp(dn * dn, ex) < 0); break;
                    default:
                        Q m1 = Q.Mid(dn, q), m2 = Q.Mid(q, up);
                        Assert.True(Q.Cmp(m1 * m1, ex) < 0 && Q.Cmp(m2 * m2, ex) > 0);
                        break;
                }
            }
        }
    }
}
