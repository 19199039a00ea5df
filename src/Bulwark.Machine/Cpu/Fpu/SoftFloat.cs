namespace Bulwark.Machine.Cpu.Fpu;

/// <summary>Bit-exact IEEE 754 binary32/binary64 arithmetic with all five RISC-V rounding modes and
/// RISC-V flag semantics (tininess detected after rounding, canonical NaN results). Values are raw
/// bit patterns held in a <see cref="ulong"/> (binary32 in the low 32 bits, unboxed).</summary>
/// <remarks>Every operation computes the exact result (or an exactly-rounding-equivalent one with a
/// "sticky" bit jammed into the least significant bit far below the rounding position) as an integer
/// significand times a power of two, then rounds it once in <see cref="RoundPack"/>.</remarks>
internal static class SoftFloat
{
    public const uint NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
    public const int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;

    /// <summary>An IEEE binary interchange format.</summary>
    public sealed class Fmt
    {
        public readonly int FracBits, ExpBits, P, Bias, Emin, Emax, QMin;
        public readonly ulong FracMask, ExpMax, SignBit, Inf, MaxFinite, CanonNaN, QuietBit;

        public Fmt(int fracBits, int expBits)
        {
            FracBits = fracBits; ExpBits = expBits; P = fracBits + 1;
            Bias = (1 << (expBits - 1)) - 1;
            Emin = 1 - Bias; Emax = Bias; QMin = Emin - fracBits;
            FracMask = (1UL << fracBits) - 1;
            ExpMax = (1UL << expBits) - 1;
            SignBit = 1UL << (fracBits + expBits);
            Inf = ExpMax << fracBits;
            MaxFinite = Inf - 1;
            QuietBit = 1UL << (fracBits - 1);
            CanonNaN = Inf | QuietBit;
        }
    }

    public static readonly Fmt S = new(23, 8);
    public static readonly Fmt D = new(52, 11);

    public enum Cls { Zero, Finite, Inf, QNaN, SNaN }

    /// <summary>Splits a value. For finite non-zero values, value = sig * 2^exp with sig normalised
    /// so that its leading one is bit P-1 (subnormals included).</summary>
    public static Cls Unpack(Fmt f, ulong bits, out bool sign, out ulong sig, out int exp)
    {
        sign = (bits & f.SignBit) != 0;
        ulong e = (bits >> f.FracBits) & f.ExpMax;
        ulong frac = bits & f.FracMask;
        sig = 0; exp = 0;
        if (e == f.ExpMax)
        {
            if (frac == 0) return Cls.Inf;
            return (frac & f.QuietBit) != 0 ? Cls.QNaN : Cls.SNaN;
        }
        if (e == 0)
        {
            if (frac == 0) return Cls.Zero;
            int lead = 63 - System.Numerics.BitOperations.LeadingZeroCount(frac);
            int shift = f.P - 1 - lead;
            sig = frac << shift;
            exp = f.QMin - shift;
            return Cls.Finite;
        }
        sig = frac | (1UL << f.FracBits);
        exp = (int)e - f.Bias - f.FracBits;
        return Cls.Finite;
    }

    public static bool IsNaN(Cls c) => c >= Cls.QNaN;

    private static int Lead(UInt128 v) => 127 - (int)UInt128.LeadingZeroCount(v);

    /// <summary>Rounds sig * 2^exp to an integer multiple of 2^q under rm; returns the multiple.</summary>
    private static UInt128 RoundAt(UInt128 sig, int exp, int q, bool sign, int rm, out bool inexact)
    {
        int shift = q - exp;
        if (shift <= 0) { inexact = false; return sig << -shift; }
        UInt128 kept, rem, half;
        if (shift > 128)
        {
            // Everything is below half a unit (sig < 2^128 <= 2^(shift-1)).
            inexact = true;
            bool up = rm == RDN ? sign : rm == RUP && !sign;
            return up ? UInt128.One : UInt128.Zero;
        }
        if (shift == 128) { kept = 0; rem = sig; }
        else { kept = sig >> shift; rem = sig & ((UInt128.One << shift) - 1); }
        half = UInt128.One << (shift - 1);
        inexact = rem != 0;
        if (!inexact) return kept;
        bool inc = rm switch
        {
            RNE => rem > half || (rem == half && (kept & 1) != 0),
            RTZ => false,
            RDN => sign,
            RUP => !sign,
            _ => rem >= half, // RMM
        };
        return inc ? kept + 1 : kept;
    }

    /// <summary>Rounds the non-zero value (-1)^sign * sig * 2^exp to format f. If the value is not
    /// exact the caller must supply at least P+2 significant bits with a sticky bit jammed into bit 0.</summary>
    public static ulong RoundPack(Fmt f, bool sign, UInt128 sig, int exp, int rm, ref uint flags)
    {
        int lead = Lead(sig);
        int e = exp + lead; // exponent of the leading one of the exact value
        int q = Math.Max(e - (f.P - 1), f.QMin);
        UInt128 kept = RoundAt(sig, exp, q, sign, rm, out bool inexact);
        if ((kept >> f.P) != 0) { kept >>= 1; q++; } // rounding carried into a new binade
        ulong s = sign ? f.SignBit : 0;
        if (kept != 0 && q + Lead(kept) > f.Emax)
        {
            flags |= OF | NX;
            bool toInf = rm switch { RNE or RMM => true, RTZ => false, RDN => sign, _ => !sign };
            return s | (toInf ? f.Inf : f.MaxFinite);
        }
        if (inexact)
        {
            flags |= NX;
            if (e < f.Emin)
            {
                // Tininess after rounding: would the result rounded to P bits with an unbounded
                // exponent range still be below the smallest normal?
                bool tiny = true;
                if (e == f.Emin - 1)
                {
                    UInt128 k2 = RoundAt(sig, exp, e - (f.P - 1), sign, rm, out _);
                    tiny = (k2 >> f.P) == 0;
                }
                if (tiny) flags |= UF;
            }
        }
        return s | (((ulong)(q - f.QMin) << f.FracBits) + (ulong)kept);
    }

    private static UInt128 ShiftRightJam(UInt128 v, int n)
    {
        if (n == 0) return v;
        if (n >= 128) return v != 0 ? UInt128.One : UInt128.Zero;
        UInt128 r = v >> n;
        if ((v & ((UInt128.One << n) - 1)) != 0) r |= 1;
        return r;
    }

    private static ulong Zero(Fmt f, bool sign) => sign ? f.SignBit : 0;

    /// <summary>Sign of an exact zero sum of operands with different signs (or x - x).</summary>
    private static bool ZeroSumSign(int rm) => rm == RDN;

    /// <summary>Adds two non-zero finite values given as (sign, sig, exp) exactly, then rounds.
    /// Significands may have up to 125 bits.</summary>
    private static ulong AddFinite(Fmt f, bool sa, UInt128 a, int ea, bool sb, UInt128 b, int eb, int rm, ref uint flags)
    {
        int na = 125 - Lead(a); a <<= na; ea -= na;
        int nb = 125 - Lead(b); b <<= nb; eb -= nb;
        if (ea < eb || (ea == eb && a < b))
        {
            (a, b) = (b, a); (ea, eb) = (eb, ea); (sa, sb) = (sb, sa);
        }
        b = ShiftRightJam(b, ea - eb);
        UInt128 r;
        if (sa == sb) r = a + b;
        else
        {
            r = a - b;
            if (r == 0) return Zero(f, ZeroSumSign(rm));
        }
        return RoundPack(f, sa, r, ea, rm, ref flags);
    }

    private static ulong NaNResult(Fmt f, Cls a, Cls b, ref uint flags)
    {
        if (a == Cls.SNaN || b == Cls.SNaN) flags |= NV;
        return f.CanonNaN;
    }

    private static ulong Invalid(Fmt f, ref uint flags) { flags |= NV; return f.CanonNaN; }

    public static ulong Add(Fmt f, ulong a, ulong b, bool negB, int rm, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out ulong ma, out int ea);
        var cb = Unpack(f, b, out bool sb, out ulong mb, out int eb);
        if (IsNaN(ca) || IsNaN(cb)) return NaNResult(f, ca, cb, ref flags);
        sb ^= negB;
        if (ca == Cls.Inf)
        {
            if (cb == Cls.Inf && sa != sb) return Invalid(f, ref flags);
            return (sa ? f.SignBit : 0) | f.Inf;
        }
        if (cb == Cls.Inf) return (sb ? f.SignBit : 0) | f.Inf;
        if (ca == Cls.Zero && cb == Cls.Zero)
            return Zero(f, sa == sb ? sa : ZeroSumSign(rm));
        if (ca == Cls.Zero) return (b & ~f.SignBit) | (sb ? f.SignBit : 0);
        if (cb == Cls.Zero) return a;
        return AddFinite(f, sa, ma, ea, sb, mb, eb, rm, ref flags);
    }

    public static ulong Mul(Fmt f, ulong a, ulong b, int rm, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out ulong ma, out int ea);
        var cb = Unpack(f, b, out bool sb, out ulong mb, out int eb);
        if (IsNaN(ca) || IsNaN(cb)) return NaNResult(f, ca, cb, ref flags);
        bool s = sa ^ sb;
        if (ca == Cls.Inf || cb == Cls.Inf)
        {
            if (ca == Cls.Zero || cb == Cls.Zero) return Invalid(f, ref flags);
            return (s ? f.SignBit : 0) | f.Inf;
        }
        if (ca == Cls.Zero || cb == Cls.Zero) return Zero(f, s);
        return RoundPack(f, s, (UInt128)ma * mb, ea + eb, rm, ref flags);
    }

    public static ulong Div(Fmt f, ulong a, ulong b, int rm, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out ulong ma, out int ea);
        var cb = Unpack(f, b, out bool sb, out ulong mb, out int eb);
        if (IsNaN(ca) || IsNaN(cb)) return NaNResult(f, ca, cb, ref flags);
        bool s = sa ^ sb;
        ulong sbit = s ? f.SignBit : 0;
        if (ca == Cls.Inf)
            return cb == Cls.Inf ? Invalid(f, ref flags) : sbit | f.Inf;
        if (cb == Cls.Inf) return sbit;
        if (cb == Cls.Zero)
        {
            if (ca == Cls.Zero) return Invalid(f, ref flags);
            flags |= DZ;
            return sbit | f.Inf;
        }
        if (ca == Cls.Zero) return sbit;
        UInt128 n = (UInt128)ma << 72;
        UInt128 q = n / mb;
        if (q * mb != n) q |= 1;
        return RoundPack(f, s, q, ea - eb - 72, rm, ref flags);
    }

    public static ulong Sqrt(Fmt f, ulong a, int rm, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out ulong ma, out int ea);
        if (IsNaN(ca)) return NaNResult(f, ca, Cls.Zero, ref flags);
        if (ca == Cls.Zero) return a;
        if (sa) return Invalid(f, ref flags);
        if (ca == Cls.Inf) return a;
        UInt128 v = ma;
        if ((ea & 1) != 0) { v <<= 1; ea -= 1; }
        v <<= 70; ea -= 70;
        UInt128 r = ISqrt(v);
        if (r * r != v) r |= 1;
        return RoundPack(f, false, r, ea / 2, rm, ref flags);
    }

    private static UInt128 ISqrt(UInt128 v)
    {
        UInt128 r = (UInt128)Math.Sqrt((double)v);
        if (r == 0) r = 1;
        r = (r + v / r) >> 1; // one Newton step: error is now a few units at most
        while (r * r > v) r--;
        while ((r + 1) * (r + 1) <= v) r++;
        return r;
    }

    /// <summary>(-1)^negProd * a * b + (-1)^negC * c with a single rounding.</summary>
    public static ulong Fma(Fmt f, ulong a, ulong b, ulong c, bool negProd, bool negC, int rm, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out ulong ma, out int ea);
        var cb = Unpack(f, b, out bool sb, out ulong mb, out int eb);
        var cc = Unpack(f, c, out bool sc, out ulong mc, out int ec);
        bool zeroTimesInf = (ca == Cls.Inf && cb == Cls.Zero) || (ca == Cls.Zero && cb == Cls.Inf);
        if (IsNaN(ca) || IsNaN(cb) || IsNaN(cc))
        {
            if (ca == Cls.SNaN || cb == Cls.SNaN || cc == Cls.SNaN || zeroTimesInf) flags |= NV;
            return f.CanonNaN;
        }
        if (zeroTimesInf) return Invalid(f, ref flags);
        bool sp = sa ^ sb ^ negProd;
        sc ^= negC;
        if (ca == Cls.Inf || cb == Cls.Inf)
        {
            if (cc == Cls.Inf && sc != sp) return Invalid(f, ref flags);
            return (sp ? f.SignBit : 0) | f.Inf;
        }
        if (cc == Cls.Inf) return (sc ? f.SignBit : 0) | f.Inf;
        if (ca == Cls.Zero || cb == Cls.Zero)
        {
            if (cc == Cls.Zero) return Zero(f, sp == sc ? sp : ZeroSumSign(rm));
            return (c & ~f.SignBit) | (sc ? f.SignBit : 0);
        }
        UInt128 prod = (UInt128)ma * mb;
        if (cc == Cls.Zero) return RoundPack(f, sp, prod, ea + eb, rm, ref flags);
        return AddFinite(f, sp, prod, ea + eb, sc, mc, ec, rm, ref flags);
    }

    /// <summary>Converts between formats (fcvt.s.d / fcvt.d.s).</summary>
    public static ulong Convert(Fmt from, Fmt to, ulong a, int rm, ref uint flags)
    {
        var ca = Unpack(from, a, out bool sa, out ulong ma, out int ea);
        ulong sbit = sa ? to.SignBit : 0;
        switch (ca)
        {
            case Cls.SNaN: flags |= NV; return to.CanonNaN;
            case Cls.QNaN: return to.CanonNaN;
            case Cls.Inf: return sbit | to.Inf;
            case Cls.Zero: return sbit;
        }
        return RoundPack(to, sa, ma, ea, rm, ref flags);
    }

    /// <summary>Float to integer (fcvt.w/wu/l/lu). Returns the 64-bit register value; 32-bit results
    /// are sign-extended.</summary>
    public static ulong ToInt(Fmt f, ulong a, bool is64, bool signed, int rm, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out ulong ma, out int ea);
        ulong max = is64 ? (signed ? (ulong)long.MaxValue : ulong.MaxValue)
                         : (signed ? int.MaxValue : uint.MaxValue);
        ulong min = !signed ? 0 : is64 ? unchecked((ulong)long.MinValue) : 0x80000000UL;
        ulong result;
        switch (ca)
        {
            case Cls.QNaN:
            case Cls.SNaN:
                flags |= NV; result = max; break;
            case Cls.Inf:
                flags |= NV; result = sa ? min : max; break;
            case Cls.Zero:
                result = 0; break;
            default:
            {
                UInt128 mag;
                bool inexact = false;
                if (ea >= 0)
                    mag = ea + Lead(ma) >= 66 ? UInt128.MaxValue : (UInt128)ma << ea;
                else
                    mag = RoundAt(ma, ea, 0, sa, rm, out inexact);
                int bits = is64 ? 64 : 32;
                bool invalid;
                if (signed)
                    invalid = sa ? mag > (UInt128.One << (bits - 1)) : mag > (UInt128.One << (bits - 1)) - 1;
                else
                    invalid = sa ? mag != 0 : mag > (UInt128.One << bits) - 1;
                if (invalid)
                {
                    flags |= NV;
                    result = sa ? min : max;
                }
                else
                {
                    if (inexact) flags |= NX;
                    ulong m = (ulong)mag;
                    result = sa ? unchecked(0UL - m) : m;
                }
                break;
            }
        }
        if (!is64) result = unchecked((ulong)(long)(int)(uint)result);
        return result;
    }

    /// <summary>Integer (given as sign and magnitude) to float.</summary>
    public static ulong FromInt(Fmt f, bool sign, ulong mag, int rm, ref uint flags)
    {
        if (mag == 0) return 0;
        return RoundPack(f, sign, mag, 0, rm, ref flags);
    }

    /// <summary>fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber, as in RISC-V F 2.2).</summary>
    public static ulong MinMax(Fmt f, ulong a, ulong b, bool max, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out _, out _);
        var cb = Unpack(f, b, out bool sb, out _, out _);
        if (ca == Cls.SNaN || cb == Cls.SNaN) flags |= NV;
        if (IsNaN(ca)) return IsNaN(cb) ? f.CanonNaN : b;
        if (IsNaN(cb)) return a;
        bool aLess;
        if (sa != sb) aLess = sa; // -0 < +0 here
        else
        {
            ulong ma = a & ~f.SignBit, mb = b & ~f.SignBit;
            aLess = sa ? ma > mb : ma < mb;
        }
        return aLess ^ max ? a : b;
    }

    /// <summary>feq (quiet), flt and fle (signaling).</summary>
    public static ulong Compare(Fmt f, ulong a, ulong b, int kind /*0 eq, 1 lt, 2 le*/, ref uint flags)
    {
        var ca = Unpack(f, a, out bool sa, out _, out _);
        var cb = Unpack(f, b, out bool sb, out _, out _);
        if (IsNaN(ca) || IsNaN(cb))
        {
            if (kind != 0 || ca == Cls.SNaN || cb == Cls.SNaN) flags |= NV;
            return 0;
        }
        bool bothZero = ca == Cls.Zero && cb == Cls.Zero;
        bool eq = bothZero || a == b;
        if (kind == 0) return eq ? 1UL : 0;
        bool lt;
        if (bothZero) lt = false;
        else if (sa != sb) lt = sa;
        else
        {
            ulong ma = a & ~f.SignBit, mb = b & ~f.SignBit;
            lt = sa ? ma > mb : ma < mb;
        }
        return (kind == 1 ? lt : lt || eq) ? 1UL : 0;
    }

    public static ulong Classify(Fmt f, ulong a)
    {
        bool sign = (a & f.SignBit) != 0;
        ulong e = (a >> f.FracBits) & f.ExpMax;
        ulong frac = a & f.FracMask;
        int bit;
        if (e == f.ExpMax)
            bit = frac == 0 ? (sign ? 0 : 7) : (frac & f.QuietBit) != 0 ? 9 : 8;
        else if (e == 0)
            bit = frac == 0 ? (sign ? 3 : 4) : (sign ? 2 : 5);
        else
            bit = sign ? 1 : 6;
        return 1UL << bit;
    }
}
