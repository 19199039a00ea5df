namespace Bulwark.Tests.Fpu;

/// <summary>Test-side encoder for F/D instructions, written from the opcode map of the RISC-V
/// unprivileged ISA (chapter 24, "RV32/64G Instruction Set Listings"), independently of the decoder.</summary>
internal static class FpEnc
{
    public const int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7;

    private const uint OpFp = 0x53;

    /// <summary>R-type OP-FP instruction from its full funct7.</summary>
    public static uint R(uint funct7, int rs2, int rs1, int funct3, int rd) =>
        (funct7 << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | ((uint)funct3 << 12) | ((uint)rd << 7) | OpFp;

    /// <summary>R4-type fused multiply-add (opcode 0x43/0x47/0x4B/0x4F) with the 2-bit fmt field.</summary>
    public static uint R4(uint opcode, int fmt, int rs3, int rs2, int rs1, int rm, int rd) =>
        ((uint)rs3 << 27) | ((uint)fmt << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | ((uint)rm << 12) | ((uint)rd << 7) | opcode;

    // fmt: 0 = S, 1 = D. funct7 values from the listing: FADD.S 0000000, FADD.D 0000001, ...
    public static uint Fadd(bool d, int rd, int rs1, int rs2, int rm) => R(d ? 0x01u : 0x00u, rs2, rs1, rm, rd);
    public static uint Fsub(bool d, int rd, int rs1, int rs2, int rm) => R(d ? 0x05u : 0x04u, rs2, rs1, rm, rd);
    public static uint Fmul(bool d, int rd, int rs1, int rs2, int rm) => R(d ? 0x09u : 0x08u, rs2, rs1, rm, rd);
    public static uint Fdiv(bool d, int rd, int rs1, int rs2, int rm) => R(d ? 0x0Du : 0x0Cu, rs2, rs1, rm, rd);
    public static uint Fsqrt(bool d, int rd, int rs1, int rm) => R(d ? 0x2Du : 0x2Cu, 0, rs1, rm, rd);
    public static uint Fsgnj(bool d, int rd, int rs1, int rs2) => R(d ? 0x11u : 0x10u, rs2, rs1, 0, rd);
    public static uint Fsgnjn(bool d, int rd, int rs1, int rs2) => R(d ? 0x11u : 0x10u, rs2, rs1, 1, rd);
    public static uint Fsgnjx(bool d, int rd, int rs1, int rs2) => R(d ? 0x11u : 0x10u, rs2, rs1, 2, rd);
    public static uint Fmin(bool d, int rd, int rs1, int rs2) => R(d ? 0x15u : 0x14u, rs2, rs1, 0, rd);
    public static uint Fmax(bool d, int rd, int rs1, int rs2) => R(d ? 0x15u : 0x14u, rs2, rs1, 1, rd);
    public static uint FcvtSD(int rd, int rs1, int rm) => R(0x20, 1, rs1, rm, rd);
    public static uint FcvtDS(int rd, int rs1, int rm) => R(0x21, 0, rs1, rm, rd);
    public static uint Feq(bool d, int rd, int rs1, int rs2) => R(d ? 0x51u : 0x50u, rs2, rs1, 2, rd);
    public static uint Flt(bool d, int rd, int rs1, int rs2) => R(d ? 0x51u : 0x50u, rs2, rs1, 1, rd);
    public static uint Fle(bool d, int rd, int rs1, int rs2) => R(d ? 0x51u : 0x50u, rs2, rs1, 0, rd);
    /// <summary>fcvt.{w,wu,l,lu}.{s,d}: kind 0 = W, 1 = WU, 2 = L, 3 = LU.</summary>
    public static uint FcvtToInt(bool d, int kind, int rd, int rs1, int rm) => R(d ? 0x61u : 0x60u, kind, rs1, rm, rd);
    /// <summary>fcvt.{s,d}.{w,wu,l,lu}: kind 0 = W, 1 = WU, 2 = L, 3 = LU.</summary>
    public static uint FcvtFromInt(bool d, int kind, int rd, int rs1, int rm) => R(d ? 0x69u : 0x68u, kind, rs1, rm, rd);
    public static uint FmvXW(int rd, int rs1) => R(0x70, 0, rs1, 0, rd);
    public static uint FmvXD(int rd, int rs1) => R(0x71, 0, rs1, 0, rd);
    public static uint Fclass(bool d, int rd, int rs1) => R(d ? 0x71u : 0x70u, 0, rs1, 1, rd);
    public static uint FmvWX(int rd, int rs1) => R(0x78, 0, rs1, 0, rd);
    public static uint FmvDX(int rd, int rs1) => R(0x79, 0, rs1, 0, rd);

    public static uint Fmadd(bool d, int rd, int rs1, int rs2, int rs3, int rm) => R4(0x43, d ? 1 : 0, rs3, rs2, rs1, rm, rd);
    public static uint Fmsub(bool d, int rd, int rs1, int rs2, int rs3, int rm) => R4(0x47, d ? 1 : 0, rs3, rs2, rs1, rm, rd);
    public static uint Fnmsub(bool d, int rd, int rs1, int rs2, int rs3, int rm) => R4(0x4B, d ? 1 : 0, rs3, rs2, rs1, rm, rd);
    public static uint Fnmadd(bool d, int rd, int rs1, int rs2, int rs3, int rm) => R4(0x4F, d ? 1 : 0, rs3, rs2, rs1, rm, rd);
}
