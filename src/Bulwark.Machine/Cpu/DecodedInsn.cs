namespace Bulwark.Machine.Cpu;

/// <summary>One instruction decoded once and cached. A write to x0 is decoded with <see cref="Rd"/> = 32,
/// a scratch register, so execution never has to test for x0.</summary>
public struct DecodedInsn
{
    public Op Op;
    public byte Rd, Rs1, Rs2, Rs3;
    /// <summary>Instruction length in bytes: 2 (compressed) or 4.</summary>
    public byte Length;
    /// <summary>For <see cref="Op.Fp"/>: the <see cref="FpOp"/>; for AMOs and LR/SC: aq/rl bits.</summary>
    public byte Sub;
    /// <summary>Static rounding-mode field of an F/D instruction (7 = dynamic, from frm).</summary>
    public byte Rm;
    public long Imm;
    /// <summary>The raw instruction bits (expanded to 32 bits for compressed ones), for error messages.</summary>
    public uint Raw;
}
