using System.Runtime.CompilerServices;
using static Bulwark.Machine.Cpu.Fpu.SoftFloat;

namespace Bulwark.Machine.Cpu.Fpu;

/// <summary>Executes decoded F/D instructions (<see cref="Op.Fp"/>) on a hart with exact RISC-V
/// semantics: NaN boxing, canonical NaNs, all rounding modes and accrued exception flags.</summary>
public static class Fpu
{
    private const ulong BoxMask = 0xFFFF_FFFF_0000_0000UL;
    private const ulong CanonNaNS = 0x7FC0_0000UL;

    /// <summary>Reads a single-precision operand: an improperly NaN-boxed register reads as the canonical NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadS(HartState h, int r)
    {
        ulong v = h.F[r];
        return (v & BoxMask) == BoxMask ? (uint)v : CanonNaNS;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteS(HartState h, int r, ulong v) => h.F[r] = BoxMask | (uint)v;

    /// <summary>Whether the operation has a rounding-mode field (and so traps on an invalid one).</summary>
    private static bool HasRm(FpOp op) => op switch
    {
        >= FpOp.FsgnjS and <= FpOp.FclassD => false,
        >= FpOp.FmvXW and <= FpOp.FmvDX => false,
        _ => true,
    };

    /// <summary>Executes <paramref name="d"/>. Returns false if the instruction is illegal (a reserved
    /// rounding mode, or a dynamic one while frm holds a reserved value); the caller then raises an
    /// illegal-instruction exception. Otherwise updates registers and fflags and returns true.</summary>
    public static bool Execute(HartState h, in DecodedInsn d)
    {
        var op = (FpOp)d.Sub;
        int rm = d.Rm;
        if (HasRm(op))
        {
            if (rm == 7) rm = (int)h.Frm;
            if (rm > 4) return false;
        }
        if (rm == RNE && (h.Fcsr & NX) != 0 && TryFast(h, op, d)) return true;
        uint fl = 0;
        ulong[] F = h.F, X = h.X;
        int rd = d.Rd, r1 = d.Rs1, r2 = d.Rs2, r3 = d.Rs3;
        switch (op)
        {
            case FpOp.FmaddS: WriteS(h, rd, Fma(S, ReadS(h, r1), ReadS(h, r2), ReadS(h, r3), false, false, rm, ref fl)); break;
            case FpOp.FmsubS: WriteS(h, rd, Fma(S, ReadS(h, r1), ReadS(h, r2), ReadS(h, r3), false, true, rm, ref fl)); break;
            case FpOp.FnmsubS: WriteS(h, rd, Fma(S, ReadS(h, r1), ReadS(h, r2), ReadS(h, r3), true, false, rm, ref fl)); break;
            case FpOp.FnmaddS: WriteS(h, rd, Fma(S, ReadS(h, r1), ReadS(h, r2), ReadS(h, r3), true, true, rm, ref fl)); break;
            case FpOp.FmaddD: F[rd] = Fma(D, F[r1], F[r2], F[r3], false, false, rm, ref fl); break;
            case FpOp.FmsubD: F[rd] = Fma(D, F[r1], F[r2], F[r3], false, true, rm, ref fl); break;
            case FpOp.FnmsubD: F[rd] = Fma(D, F[r1], F[r2], F[r3], true, false, rm, ref fl); break;
            case FpOp.FnmaddD: F[rd] = Fma(D, F[r1], F[r2], F[r3], true, true, rm, ref fl); break;

            case FpOp.FaddS: WriteS(h, rd, Add(S, ReadS(h, r1), ReadS(h, r2), false, rm, ref fl)); break;
            case FpOp.FsubS: WriteS(h, rd, Add(S, ReadS(h, r1), ReadS(h, r2), true, rm, ref fl)); break;
            case FpOp.FmulS: WriteS(h, rd, Mul(S, ReadS(h, r1), ReadS(h, r2), rm, ref fl)); break;
            case FpOp.FdivS: WriteS(h, rd, Div(S, ReadS(h, r1), ReadS(h, r2), rm, ref fl)); break;
            case FpOp.FsqrtS: WriteS(h, rd, Sqrt(S, ReadS(h, r1), rm, ref fl)); break;
            case FpOp.FaddD: F[rd] = Add(D, F[r1], F[r2], false, rm, ref fl); break;
            case FpOp.FsubD: F[rd] = Add(D, F[r1], F[r2], true, rm, ref fl); break;
            case FpOp.FmulD: F[rd] = Mul(D, F[r1], F[r2], rm, ref fl); break;
            case FpOp.FdivD: F[rd] = Div(D, F[r1], F[r2], rm, ref fl); break;
            case FpOp.FsqrtD: F[rd] = Sqrt(D, F[r1], rm, ref fl); break;

            case FpOp.FsgnjS: WriteS(h, rd, (ReadS(h, r1) & 0x7FFF_FFFF) | (ReadS(h, r2) & 0x8000_0000)); break;
            case FpOp.FsgnjnS: WriteS(h, rd, (ReadS(h, r1) & 0x7FFF_FFFF) | (~ReadS(h, r2) & 0x8000_0000)); break;
            case FpOp.FsgnjxS: WriteS(h, rd, ReadS(h, r1) ^ (ReadS(h, r2) & 0x8000_0000)); break;
            case FpOp.FsgnjD: F[rd] = (F[r1] & ~(1UL << 63)) | (F[r2] & (1UL << 63)); break;
            case FpOp.FsgnjnD: F[rd] = (F[r1] & ~(1UL << 63)) | (~F[r2] & (1UL << 63)); break;
            case FpOp.FsgnjxD: F[rd] = F[r1] ^ (F[r2] & (1UL << 63)); break;

            case FpOp.FminS: WriteS(h, rd, MinMax(S, ReadS(h, r1), ReadS(h, r2), false, ref fl)); break;
            case FpOp.FmaxS: WriteS(h, rd, MinMax(S, ReadS(h, r1), ReadS(h, r2), true, ref fl)); break;
            case FpOp.FminD: F[rd] = MinMax(D, F[r1], F[r2], false, ref fl); break;
            case FpOp.FmaxD: F[rd] = MinMax(D, F[r1], F[r2], true, ref fl); break;

            case FpOp.FeqS: X[rd] = Compare(S, ReadS(h, r1), ReadS(h, r2), 0, ref fl); break;
            case FpOp.FltS: X[rd] = Compare(S, ReadS(h, r1), ReadS(h, r2), 1, ref fl); break;
            case FpOp.FleS: X[rd] = Compare(S, ReadS(h, r1), ReadS(h, r2), 2, ref fl); break;
            case FpOp.FeqD: X[rd] = Compare(D, F[r1], F[r2], 0, ref fl); break;
            case FpOp.FltD: X[rd] = Compare(D, F[r1], F[r2], 1, ref fl); break;
            case FpOp.FleD: X[rd] = Compare(D, F[r1], F[r2], 2, ref fl); break;

            case FpOp.FclassS: X[rd] = Classify(S, ReadS(h, r1)); break;
            case FpOp.FclassD: X[rd] = Classify(D, F[r1]); break;

            case FpOp.FcvtWS: X[rd] = ToInt(S, ReadS(h, r1), false, true, rm, ref fl); break;
            case FpOp.FcvtWuS: X[rd] = ToInt(S, ReadS(h, r1), false, false, rm, ref fl); break;
            case FpOp.FcvtLS: X[rd] = ToInt(S, ReadS(h, r1), true, true, rm, ref fl); break;
            case FpOp.FcvtLuS: X[rd] = ToInt(S, ReadS(h, r1), true, false, rm, ref fl); break;
            case FpOp.FcvtWD: X[rd] = ToInt(D, F[r1], false, true, rm, ref fl); break;
            case FpOp.FcvtWuD: X[rd] = ToInt(D, F[r1], false, false, rm, ref fl); break;
            case FpOp.FcvtLD: X[rd] = ToInt(D, F[r1], true, true, rm, ref fl); break;
            case FpOp.FcvtLuD: X[rd] = ToInt(D, F[r1], true, false, rm, ref fl); break;

            case FpOp.FcvtSW: WriteS(h, rd, FromSigned(S, (int)X[r1], rm, ref fl)); break;
            case FpOp.FcvtSWu: WriteS(h, rd, FromInt(S, false, (uint)X[r1], rm, ref fl)); break;
            case FpOp.FcvtSL: WriteS(h, rd, FromSigned(S, (long)X[r1], rm, ref fl)); break;
            case FpOp.FcvtSLu: WriteS(h, rd, FromInt(S, false, X[r1], rm, ref fl)); break;
            case FpOp.FcvtDW: F[rd] = FromSigned(D, (int)X[r1], rm, ref fl); break;
            case FpOp.FcvtDWu: F[rd] = FromInt(D, false, (uint)X[r1], rm, ref fl); break;
            case FpOp.FcvtDL: F[rd] = FromSigned(D, (long)X[r1], rm, ref fl); break;
            case FpOp.FcvtDLu: F[rd] = FromInt(D, false, X[r1], rm, ref fl); break;

            case FpOp.FcvtSD: WriteS(h, rd, SoftFloat.Convert(D, S, F[r1], rm, ref fl)); break;
            case FpOp.FcvtDS: F[rd] = SoftFloat.Convert(S, D, ReadS(h, r1), rm, ref fl); break;

            case FpOp.FmvXW: X[rd] = unchecked((ulong)(long)(int)(uint)F[r1]); break;
            case FpOp.FmvWX: WriteS(h, rd, X[r1]); break;
            case FpOp.FmvXD: X[rd] = F[r1]; break;
            case FpOp.FmvDX: F[rd] = X[r1]; break;

            default: return false;
        }
        if (fl != 0) h.Fcsr |= fl;
        return true;
    }

    /// <summary>Host fast path for round-to-nearest-even arithmetic once NX has already accrued.
    /// The host computes correctly rounded RNE results; if the result is finite and at least twice the
    /// smallest normal, no flag other than NX can arise (no overflow; no underflow, even with tininess
    /// after rounding; no invalid or divide-by-zero, which yield NaN or infinity), and NX is already
    /// set, so fflags are unchanged. Otherwise the exact software path runs.</summary>
    private static bool TryFast(HartState h, FpOp op, in DecodedInsn d)
    {
        ulong[] F = h.F;
        if (op <= FpOp.FsqrtD)
        {
            if (op >= FpOp.FaddD || (op >= FpOp.FmaddD && op <= FpOp.FnmaddD))
            {
                double a = BitConverter.UInt64BitsToDouble(F[d.Rs1]);
                double b = BitConverter.UInt64BitsToDouble(F[d.Rs2]);
                double r;
                switch (op)
                {
                    case FpOp.FaddD: r = a + b; break;
                    case FpOp.FsubD: r = a - b; break;
                    case FpOp.FmulD: r = a * b; break;
                    case FpOp.FdivD: r = a / b; break;
                    case FpOp.FsqrtD: r = Math.Sqrt(a); break;
                    case FpOp.FmaddD: r = Math.FusedMultiplyAdd(a, b, BitConverter.UInt64BitsToDouble(F[d.Rs3])); break;
                    case FpOp.FmsubD: r = Math.FusedMultiplyAdd(a, b, -BitConverter.UInt64BitsToDouble(F[d.Rs3])); break;
                    case FpOp.FnmsubD: r = Math.FusedMultiplyAdd(-a, b, BitConverter.UInt64BitsToDouble(F[d.Rs3])); break;
                    case FpOp.FnmaddD: r = -Math.FusedMultiplyAdd(a, b, BitConverter.UInt64BitsToDouble(F[d.Rs3])); break;
                    default: return false;
                }
                ulong bits = BitConverter.DoubleToUInt64Bits(r);
                ulong e = (bits >> 52) & 0x7FF;
                if (e < 2 || e == 0x7FF) return false;
                F[d.Rd] = bits;
                return true;
            }
            else
            {
                float a = BitConverter.UInt32BitsToSingle((uint)ReadS(h, d.Rs1));
                float b = BitConverter.UInt32BitsToSingle((uint)ReadS(h, d.Rs2));
                float r;
                switch (op)
                {
                    case FpOp.FaddS: r = a + b; break;
                    case FpOp.FsubS: r = a - b; break;
                    case FpOp.FmulS: r = a * b; break;
                    case FpOp.FdivS: r = a / b; break;
                    case FpOp.FsqrtS: r = MathF.Sqrt(a); break;
                    case FpOp.FmaddS: r = MathF.FusedMultiplyAdd(a, b, BitConverter.UInt32BitsToSingle((uint)ReadS(h, d.Rs3))); break;
                    case FpOp.FmsubS: r = MathF.FusedMultiplyAdd(a, b, -BitConverter.UInt32BitsToSingle((uint)ReadS(h, d.Rs3))); break;
                    case FpOp.FnmsubS: r = MathF.FusedMultiplyAdd(-a, b, BitConverter.UInt32BitsToSingle((uint)ReadS(h, d.Rs3))); break;
                    case FpOp.FnmaddS: r = -MathF.FusedMultiplyAdd(a, b, BitConverter.UInt32BitsToSingle((uint)ReadS(h, d.Rs3))); break;
                    default: return false;
                }
                uint bits = BitConverter.SingleToUInt32Bits(r);
                uint e = (bits >> 23) & 0xFF;
                if (e < 2 || e == 0xFF) return false;
                WriteS(h, d.Rd, bits);
                return true;
            }
        }
        return false;
    }

    private static ulong FromSigned(Fmt f, long v, int rm, ref uint fl)
        => FromInt(f, v < 0, v < 0 ? unchecked(0UL - (ulong)v) : (ulong)v, rm, ref fl);
}
