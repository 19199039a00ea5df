namespace Bulwark.Machine.Cpu;

/// <summary>The bit-manipulation extensions, RV64 forms: Zba (address generation). Each op writes rd
/// from rs1, rs2 or the shift amount in <see cref="DecodedInsn.Imm"/>, and none of them can trap.
/// Semantics from the unprivileged ISA chapter "B Extension for Bit Manipulation".</summary>
internal static class BitManip
{
    /// <summary>The block of <see cref="Op"/> values this class executes.</summary>
    public const Op First = Op.AddUw, Last = Op.SlliUw;

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
            default: return false;
        }
        x[d.Rd] = result;
        return true;
    }
}
