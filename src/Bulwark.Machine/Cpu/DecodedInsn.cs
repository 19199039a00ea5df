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
    /// <summary>The immediate, sign-extended where it is used. Every RISC-V immediate fits in 32 bits, so
    /// a slot is 16 bytes rather than 24 (a decoded page 32 KiB rather than 48); measured, the interpreter's
    /// time was unchanged (bzip2 -9 367 and 366 ms against 371 and 362, in-process, alternated `bench`
    /// runs) and so was the explorer's (`farm-bench`, 9 pairs, 0.98x).</summary>
    public int Imm;
    /// <summary>The raw instruction bits (expanded to 32 bits for compressed ones), for error messages.</summary>
    public uint Raw;
}
