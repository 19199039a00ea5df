namespace Bulwark.Machine.Cpu;

/// <summary>
/// Expands RV64C compressed instructions into their RV64G 32-bit equivalents, so the decoder and
/// executor only ever deal with one instruction format. Returns 0 for illegal or reserved encodings;
/// 0 is itself an illegal 32-bit instruction, so callers can treat it as "raise illegal instruction".
/// Legal HINT encodings (e.g. C.NOP with a nonzero immediate, C.LI/C.SLLI/C.MV/C.ADD with rd=x0,
/// shifts by 0) expand to the equivalent instruction writing x0, which is architecturally a no-op.
/// </summary>
public static class Rvc
{
    // 32-bit major opcodes used by the expansions.
    private const uint OpLoad = 0x03, OpLoadFp = 0x07, OpImm = 0x13, OpImm32 = 0x1B;
    private const uint OpStore = 0x23, OpStoreFp = 0x27, OpReg = 0x33, OpLui = 0x37, OpReg32 = 0x3B;
    private const uint OpBranch = 0x63, OpJalr = 0x67, OpJal = 0x6F, OpSystem = 0x73;

    private const uint Sp = 2, Ra = 1;

    public static uint Expand(ushort c)
    {
        uint funct3 = Bits(c, 15, 13);
        switch (c & 3)
        {
            case 0: return Quadrant0(c, funct3);
            case 1: return Quadrant1(c, funct3);
            case 2: return Quadrant2(c, funct3);
            default: return 0; // Quadrant 3 is the 32-bit space, not a compressed instruction.
        }
    }

    private static uint Quadrant0(uint c, uint funct3)
    {
        uint rdp = CReg(c, 2);  // rd' / rs2' at [4:2]
        uint rs1p = CReg(c, 7); // rs1' at [9:7]
        switch (funct3)
        {
            case 0b000: // C.ADDI4SPN; nzuimm=0 covers the all-zero halfword, which is defined illegal.
            {
                uint imm = Bits(c, 12, 11) << 4 | Bits(c, 10, 7) << 6 | Bit(c, 6) << 2 | Bit(c, 5) << 3;
                return imm == 0 ? 0 : IType(OpImm, 0b000, rdp, Sp, (int)imm);
            }
            case 0b001: return IType(OpLoadFp, 0b011, rdp, rs1p, (int)DoubleOffset(c)); // C.FLD
            case 0b010: return IType(OpLoad, 0b010, rdp, rs1p, (int)WordOffset(c));     // C.LW
            case 0b011: return IType(OpLoad, 0b011, rdp, rs1p, (int)DoubleOffset(c));   // C.LD (RV64; C.FLW on RV32)
            case 0b101: return SType(OpStoreFp, 0b011, rs1p, rdp, (int)DoubleOffset(c)); // C.FSD
            case 0b110: return SType(OpStore, 0b010, rs1p, rdp, (int)WordOffset(c));     // C.SW
            case 0b111: return SType(OpStore, 0b011, rs1p, rdp, (int)DoubleOffset(c));   // C.SD (RV64; C.FSW on RV32)
            default: return 0; // 0b100 is reserved.
        }
    }

    private static uint Quadrant1(uint c, uint funct3)
    {
        uint rd = Bits(c, 11, 7);
        int imm6 = SignExtend(Bit(c, 12) << 5 | Bits(c, 6, 2), 6);
        switch (funct3)
        {
            case 0b000: return IType(OpImm, 0b000, rd, rd, imm6); // C.ADDI / C.NOP (all forms legal or hints)
            case 0b001: return rd == 0 ? 0 : IType(OpImm32, 0b000, rd, rd, imm6); // C.ADDIW (C.JAL on RV32)
            case 0b010: return IType(OpImm, 0b000, rd, 0, imm6); // C.LI
            case 0b011:
                if (rd == Sp)
                {
                    // C.ADDI16SP
                    uint raw = Bit(c, 12) << 9 | Bit(c, 6) << 4 | Bit(c, 5) << 6 | Bits(c, 4, 3) << 7 | Bit(c, 2) << 5;
                    int imm = SignExtend(raw, 10);
                    return imm == 0 ? 0 : IType(OpImm, 0b000, Sp, Sp, imm);
                }
                else
                {
                    // C.LUI: the 6-bit field is imm[17:12], i.e. exactly the sign-extended upper immediate.
                    if (imm6 == 0) return 0;
                    return UType(OpLui, rd, (uint)imm6 << 12);
                }
            case 0b100: return MiscAlu(c);
            case 0b101: return JType(0, JumpOffset(c)); // C.J
            case 0b110: return BType(0b000, CReg(c, 7), 0, BranchOffset(c)); // C.BEQZ
            case 0b111: return BType(0b001, CReg(c, 7), 0, BranchOffset(c)); // C.BNEZ
            default: return 0;
        }
    }

    private static uint MiscAlu(uint c)
    {
        uint rd = CReg(c, 7);
        uint rs2 = CReg(c, 2);
        uint shamt = Bit(c, 12) << 5 | Bits(c, 6, 2); // RV64: shamt[5] is legal; shamt=0 is a hint.
        switch (Bits(c, 11, 10))
        {
            case 0b00: return IType(OpImm, 0b101, rd, rd, (int)shamt);              // C.SRLI
            case 0b01: return IType(OpImm, 0b101, rd, rd, (int)(shamt | 0x400));     // C.SRAI
            case 0b10: return IType(OpImm, 0b111, rd, rd, SignExtend(shamt, 6));     // C.ANDI
        }

        const uint Funct7Sub = 0b0100000;
        uint op = Bits(c, 6, 5);
        if (Bit(c, 12) == 0)
        {
            return op switch
            {
                0b00 => RType(OpReg, 0b000, Funct7Sub, rd, rd, rs2), // C.SUB
                0b01 => RType(OpReg, 0b100, 0, rd, rd, rs2),         // C.XOR
                0b10 => RType(OpReg, 0b110, 0, rd, rd, rs2),         // C.OR
                _ => RType(OpReg, 0b111, 0, rd, rd, rs2),            // C.AND
            };
        }
        return op switch
        {
            0b00 => RType(OpReg32, 0b000, Funct7Sub, rd, rd, rs2), // C.SUBW
            0b01 => RType(OpReg32, 0b000, 0, rd, rd, rs2),         // C.ADDW
            _ => 0, // reserved
        };
    }

    private static uint Quadrant2(uint c, uint funct3)
    {
        uint rd = Bits(c, 11, 7);
        uint rs2 = Bits(c, 6, 2);
        switch (funct3)
        {
            case 0b000: // C.SLLI; rd=0 and shamt=0 are hints.
                return IType(OpImm, 0b001, rd, rd, (int)(Bit(c, 12) << 5 | Bits(c, 6, 2)));
            case 0b001: return IType(OpLoadFp, 0b011, rd, Sp, (int)DoubleSpLoadOffset(c)); // C.FLDSP (f0 is fine)
            case 0b010: return rd == 0 ? 0 : IType(OpLoad, 0b010, rd, Sp, (int)WordSpLoadOffset(c)); // C.LWSP
            case 0b011: return rd == 0 ? 0 : IType(OpLoad, 0b011, rd, Sp, (int)DoubleSpLoadOffset(c)); // C.LDSP
            case 0b100:
                if (Bit(c, 12) == 0)
                {
                    if (rs2 == 0) return rd == 0 ? 0 : IType(OpJalr, 0b000, 0, rd, 0); // C.JR
                    return RType(OpReg, 0b000, 0, rd, 0, rs2);                         // C.MV
                }
                if (rs2 == 0)
                {
                    if (rd == 0) return 0x00100000 | OpSystem;                         // C.EBREAK
                    return IType(OpJalr, 0b000, Ra, rd, 0);                            // C.JALR
                }
                return RType(OpReg, 0b000, 0, rd, rd, rs2);                            // C.ADD
            case 0b101: return SType(OpStoreFp, 0b011, Sp, rs2, (int)DoubleSpStoreOffset(c)); // C.FSDSP
            case 0b110: return SType(OpStore, 0b010, Sp, rs2, (int)WordSpStoreOffset(c));     // C.SWSP
            case 0b111: return SType(OpStore, 0b011, Sp, rs2, (int)DoubleSpStoreOffset(c));   // C.SDSP
            default: return 0;
        }
    }

    // ---- Compressed immediate layouts (scrambled so that hardware can share decode wiring) ----

    /// <summary>uimm[5:3] at [12:10], uimm[7:6] at [6:5] (C.LD/C.SD/C.FLD/C.FSD).</summary>
    private static uint DoubleOffset(uint c) => Bits(c, 12, 10) << 3 | Bits(c, 6, 5) << 6;

    /// <summary>uimm[5:3] at [12:10], uimm[2] at [6], uimm[6] at [5] (C.LW/C.SW).</summary>
    private static uint WordOffset(uint c) => Bits(c, 12, 10) << 3 | Bit(c, 6) << 2 | Bit(c, 5) << 6;

    /// <summary>uimm[5] at [12], uimm[4:2] at [6:4], uimm[7:6] at [3:2] (C.LWSP).</summary>
    private static uint WordSpLoadOffset(uint c) => Bit(c, 12) << 5 | Bits(c, 6, 4) << 2 | Bits(c, 3, 2) << 6;

    /// <summary>uimm[5] at [12], uimm[4:3] at [6:5], uimm[8:6] at [4:2] (C.LDSP/C.FLDSP).</summary>
    private static uint DoubleSpLoadOffset(uint c) => Bit(c, 12) << 5 | Bits(c, 6, 5) << 3 | Bits(c, 4, 2) << 6;

    /// <summary>uimm[5:2] at [12:9], uimm[7:6] at [8:7] (C.SWSP).</summary>
    private static uint WordSpStoreOffset(uint c) => Bits(c, 12, 9) << 2 | Bits(c, 8, 7) << 6;

    /// <summary>uimm[5:3] at [12:10], uimm[8:6] at [9:7] (C.SDSP/C.FSDSP).</summary>
    private static uint DoubleSpStoreOffset(uint c) => Bits(c, 12, 10) << 3 | Bits(c, 9, 7) << 6;

    /// <summary>offset[11|4|9:8|10|6|7|3:1|5] at [12:2] (C.J).</summary>
    private static int JumpOffset(uint c) => SignExtend(
        Bit(c, 12) << 11 | Bit(c, 11) << 4 | Bits(c, 10, 9) << 8 | Bit(c, 8) << 10 |
        Bit(c, 7) << 6 | Bit(c, 6) << 7 | Bits(c, 5, 3) << 1 | Bit(c, 2) << 5, 12);

    /// <summary>offset[8|4:3] at [12:10], offset[7:6|2:1|5] at [6:2] (C.BEQZ/C.BNEZ).</summary>
    private static int BranchOffset(uint c) => SignExtend(
        Bit(c, 12) << 8 | Bits(c, 11, 10) << 3 | Bits(c, 6, 5) << 6 | Bits(c, 4, 3) << 1 | Bit(c, 2) << 5, 9);

    // ---- Bit-field helpers ----

    private static uint Bits(uint v, int hi, int lo) => (v >> lo) & ((1u << (hi - lo + 1)) - 1);

    private static uint Bit(uint v, int pos) => (v >> pos) & 1;

    /// <summary>The 3-bit compressed register fields name x8..x15 (the most used registers).</summary>
    private static uint CReg(uint c, int lo) => Bits(c, lo + 2, lo) + 8;

    private static int SignExtend(uint v, int bits) => (int)(v << (32 - bits)) >> (32 - bits);

    // ---- 32-bit encoders ----

    private static uint RType(uint opcode, uint funct3, uint funct7, uint rd, uint rs1, uint rs2) =>
        funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;

    private static uint IType(uint opcode, uint funct3, uint rd, uint rs1, int imm) =>
        ((uint)imm & 0xFFF) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;

    private static uint SType(uint opcode, uint funct3, uint rs1, uint rs2, int imm)
    {
        uint u = (uint)imm;
        return Bits(u, 11, 5) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | Bits(u, 4, 0) << 7 | opcode;
    }

    private static uint UType(uint opcode, uint rd, uint imm) => (imm & 0xFFFFF000) | rd << 7 | opcode;

    private static uint BType(uint funct3, uint rs1, uint rs2, int imm)
    {
        uint u = (uint)imm;
        return Bit(u, 12) << 31 | Bits(u, 10, 5) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 |
               Bits(u, 4, 1) << 8 | Bit(u, 11) << 7 | OpBranch;
    }

    private static uint JType(uint rd, int imm)
    {
        uint u = (uint)imm;
        return Bit(u, 20) << 31 | Bits(u, 10, 1) << 21 | Bit(u, 11) << 20 | Bits(u, 19, 12) << 12 | rd << 7 | OpJal;
    }
}
