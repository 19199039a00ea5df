using System.Buffers.Binary;
using System.Numerics;

namespace Bulwark.Machine.Cpu;

/// <summary>The bit-manipulation extensions, RV64 forms: Zba (address generation), Zbb (basic bit
/// manipulation) and Zbs (single-bit operations). Each op writes rd from rs1, rs2 or the shift amount
/// in <see cref="DecodedInsn.Imm"/>, and none of them can trap. Semantics from the unprivileged ISA
/// chapter "B Extension for Bit Manipulation".</summary>
internal static class BitManip
{
    /// <summary>The contiguous block of <see cref="Op"/> values this class executes.</summary>
    public const Op First = Op.AddUw, Last = Op.Bseti;

    /// <summary>Executes one bit-manipulation op; false if <paramref name="d"/> is not one.</summary>
    public static bool Execute(in DecodedInsn d, ulong[] x)
    {
        ulong a = x[d.Rs1];
        ulong result;
        switch (d.Op)
        {
            // Zba: rs2 + (rs1 << n); the .uw forms take rs1's low word zero-extended.
            case Op.AddUw: result = x[d.Rs2] + (uint)a; break;
            case Op.Sh1add: result = x[d.Rs2] + (a << 1); break;
            case Op.Sh2add: result = x[d.Rs2] + (a << 2); break;
            case Op.Sh3add: result = x[d.Rs2] + (a << 3); break;
            case Op.Sh1addUw: result = x[d.Rs2] + ((ulong)(uint)a << 1); break;
            case Op.Sh2addUw: result = x[d.Rs2] + ((ulong)(uint)a << 2); break;
            case Op.Sh3addUw: result = x[d.Rs2] + ((ulong)(uint)a << 3); break;
            case Op.SlliUw: result = (ulong)(uint)a << (int)d.Imm; break;

            // Zbb
            case Op.Andn: result = a & ~x[d.Rs2]; break;
            case Op.Orn: result = a | ~x[d.Rs2]; break;
            case Op.Xnor: result = ~(a ^ x[d.Rs2]); break;
            // The counts give the operand width (64 or 32) for a zero operand, as the spec requires.
            case Op.Clz: result = (ulong)BitOperations.LeadingZeroCount(a); break;
            case Op.Clzw: result = (ulong)BitOperations.LeadingZeroCount((uint)a); break;
            case Op.Ctz: result = (ulong)BitOperations.TrailingZeroCount(a); break;
            case Op.Ctzw: result = (ulong)BitOperations.TrailingZeroCount((uint)a); break;
            case Op.Cpop: result = (ulong)BitOperations.PopCount(a); break;
            case Op.Cpopw: result = (ulong)BitOperations.PopCount((uint)a); break;
            case Op.Max: result = (long)a < (long)x[d.Rs2] ? x[d.Rs2] : a; break;
            case Op.Maxu: result = a < x[d.Rs2] ? x[d.Rs2] : a; break;
            case Op.Min: result = (long)a < (long)x[d.Rs2] ? a : x[d.Rs2]; break;
            case Op.Minu: result = a < x[d.Rs2] ? a : x[d.Rs2]; break;
            case Op.SextB: result = (ulong)(long)(sbyte)a; break;
            case Op.SextH: result = (ulong)(long)(short)a; break;
            case Op.ZextH: result = (ushort)a; break;
            case Op.Rol: result = BitOperations.RotateLeft(a, (int)(x[d.Rs2] & 63)); break;
            case Op.Ror: result = BitOperations.RotateRight(a, (int)(x[d.Rs2] & 63)); break;
            case Op.Rori: result = BitOperations.RotateRight(a, (int)d.Imm); break;
            case Op.Rolw: result = SignExtend32(BitOperations.RotateLeft((uint)a, (int)(x[d.Rs2] & 31))); break;
            case Op.Rorw: result = SignExtend32(BitOperations.RotateRight((uint)a, (int)(x[d.Rs2] & 31))); break;
            case Op.Roriw: result = SignExtend32(BitOperations.RotateRight((uint)a, (int)d.Imm)); break;
            case Op.OrcB: result = OrCombineBytes(a); break;
            case Op.Rev8: result = BinaryPrimitives.ReverseEndianness(a); break;

            // Zbs: the bit index is rs2[5:0] or the 6-bit shamt.
            case Op.Bclr: result = a & ~Bit(x[d.Rs2]); break;
            case Op.Bclri: result = a & ~Bit((ulong)d.Imm); break;
            case Op.Bext: result = (a >> (int)(x[d.Rs2] & 63)) & 1; break;
            case Op.Bexti: result = (a >> (int)d.Imm) & 1; break;
            case Op.Binv: result = a ^ Bit(x[d.Rs2]); break;
            case Op.Binvi: result = a ^ Bit((ulong)d.Imm); break;
            case Op.Bset: result = a | Bit(x[d.Rs2]); break;
            case Op.Bseti: result = a | Bit((ulong)d.Imm); break;
            default: return false;
        }
        x[d.Rd] = result;
        return true;
    }

    private static ulong SignExtend32(uint v) => (ulong)(long)(int)v;

    private static ulong Bit(ulong index) => 1UL << (int)(index & 63);

    /// <summary>orc.b: each byte becomes 0xff if any of its bits is set, else 0x00.</summary>
    private static ulong OrCombineBytes(ulong v)
    {
        // Fold each byte's bits down into its bit 0 (bits from the byte above land only in bits 1..7),
        // keep bit 0 of each byte, and widen it to the whole byte (no carries: each byte is 0 or 1).
        v |= v >> 1;
        v |= v >> 2;
        v |= v >> 4;
        return (v & 0x0101_0101_0101_0101) * 0xff;
    }
}
