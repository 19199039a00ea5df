namespace Bulwark.Tests.Cpu;

/// <summary>A tiny test-side assembler for the integer instructions, written from the base opcode map
/// and instruction formats of the RISC-V unprivileged ISA (chapter "RV32/64G Instruction Set
/// Listings") and, for Zba/Zbb/Zbs, the encodings of its bit-manipulation chapter, independently of
/// the machine's decoder. Register arguments are x-register numbers.</summary>
internal static class Asm
{
    // Major opcodes.
    private const uint Load = 0x03, MiscMem = 0x0f, OpImm = 0x13, Auipc_ = 0x17, OpImm32 = 0x1b;
    private const uint Store = 0x23, Amo = 0x2f, Op = 0x33, Lui_ = 0x37, Op32 = 0x3b;
    private const uint Branch = 0x63, Jalr_ = 0x67, Jal_ = 0x6f, System = 0x73;

    public const uint Ecall = 0x00000073;
    public const uint Ebreak = 0x00100073;
    public const uint FenceI = 0x0000100f;
    /// <summary>fence iorw, iorw</summary>
    public const uint Fence = 0x0ff0000f;
    /// <summary>addi x0, x0, 0</summary>
    public const uint Nop = 0x00000013;

    // ---- formats ----

    public static uint R(uint opcode, uint f3, uint f7, int rd, int rs1, int rs2) =>
        (f7 << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((uint)rd << 7) | opcode;

    public static uint I(uint opcode, uint f3, int rd, int rs1, int imm)
    {
        if (imm < -2048 || imm > 2047) throw new ArgumentOutOfRangeException(nameof(imm));
        return (((uint)imm & 0xfff) << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((uint)rd << 7) | opcode;
    }

    public static uint S(uint opcode, uint f3, int rs1, int rs2, int imm)
    {
        if (imm < -2048 || imm > 2047) throw new ArgumentOutOfRangeException(nameof(imm));
        uint u = (uint)imm;
        return (((u >> 5) & 0x7f) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((u & 0x1f) << 7) | opcode;
    }

    public static uint B(uint f3, int rs1, int rs2, int offset)
    {
        if ((offset & 1) != 0 || offset < -4096 || offset > 4094) throw new ArgumentOutOfRangeException(nameof(offset));
        uint u = (uint)offset;
        return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) |
               (f3 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | Branch;
    }

    /// <summary>U-type; <paramref name="imm20"/> is the 20-bit field placed in bits 31..12.</summary>
    public static uint U(uint opcode, int rd, uint imm20) => ((imm20 & 0xfffff) << 12) | ((uint)rd << 7) | opcode;

    public static uint J(int rd, int offset)
    {
        if ((offset & 1) != 0 || offset < -(1 << 20) || offset >= (1 << 20)) throw new ArgumentOutOfRangeException(nameof(offset));
        uint u = (uint)offset;
        return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) |
               (((u >> 12) & 0xff) << 12) | ((uint)rd << 7) | Jal_;
    }

    // ---- RV64I ----

    public static uint Lui(int rd, uint imm20) => U(Lui_, rd, imm20);
    public static uint Auipc(int rd, uint imm20) => U(Auipc_, rd, imm20);
    public static uint Jal(int rd, int offset) => J(rd, offset);
    public static uint Jalr(int rd, int rs1, int imm) => I(Jalr_, 0, rd, rs1, imm);

    public static uint Beq(int rs1, int rs2, int off) => B(0, rs1, rs2, off);
    public static uint Bne(int rs1, int rs2, int off) => B(1, rs1, rs2, off);
    public static uint Blt(int rs1, int rs2, int off) => B(4, rs1, rs2, off);
    public static uint Bge(int rs1, int rs2, int off) => B(5, rs1, rs2, off);
    public static uint Bltu(int rs1, int rs2, int off) => B(6, rs1, rs2, off);
    public static uint Bgeu(int rs1, int rs2, int off) => B(7, rs1, rs2, off);

    public static uint Lb(int rd, int rs1, int imm) => I(Load, 0, rd, rs1, imm);
    public static uint Lh(int rd, int rs1, int imm) => I(Load, 1, rd, rs1, imm);
    public static uint Lw(int rd, int rs1, int imm) => I(Load, 2, rd, rs1, imm);
    public static uint Ld(int rd, int rs1, int imm) => I(Load, 3, rd, rs1, imm);
    public static uint Lbu(int rd, int rs1, int imm) => I(Load, 4, rd, rs1, imm);
    public static uint Lhu(int rd, int rs1, int imm) => I(Load, 5, rd, rs1, imm);
    public static uint Lwu(int rd, int rs1, int imm) => I(Load, 6, rd, rs1, imm);

    public static uint Sb(int rs2, int rs1, int imm) => S(Store, 0, rs1, rs2, imm);
    public static uint Sh(int rs2, int rs1, int imm) => S(Store, 1, rs1, rs2, imm);
    public static uint Sw(int rs2, int rs1, int imm) => S(Store, 2, rs1, rs2, imm);
    public static uint Sd(int rs2, int rs1, int imm) => S(Store, 3, rs1, rs2, imm);

    public static uint Addi(int rd, int rs1, int imm) => I(OpImm, 0, rd, rs1, imm);
    public static uint Slti(int rd, int rs1, int imm) => I(OpImm, 2, rd, rs1, imm);
    public static uint Sltiu(int rd, int rs1, int imm) => I(OpImm, 3, rd, rs1, imm);
    public static uint Xori(int rd, int rs1, int imm) => I(OpImm, 4, rd, rs1, imm);
    public static uint Ori(int rd, int rs1, int imm) => I(OpImm, 6, rd, rs1, imm);
    public static uint Andi(int rd, int rs1, int imm) => I(OpImm, 7, rd, rs1, imm);
    // RV64 shifts: shamt in imm[5:0]; imm[11:6] = 000000 (logical) or 010000 (arithmetic).
    public static uint Slli(int rd, int rs1, int sh) => Shift(OpImm, 1, 0x00, rd, rs1, sh, 63);
    public static uint Srli(int rd, int rs1, int sh) => Shift(OpImm, 5, 0x00, rd, rs1, sh, 63);
    public static uint Srai(int rd, int rs1, int sh) => Shift(OpImm, 5, 0x10, rd, rs1, sh, 63);

    private static uint Shift(uint opcode, uint f3, uint f6, int rd, int rs1, int sh, int max)
    {
        if (sh < 0 || sh > max) throw new ArgumentOutOfRangeException(nameof(sh));
        return (f6 << 26) | ((uint)sh << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((uint)rd << 7) | opcode;
    }

    public static uint Add(int rd, int rs1, int rs2) => R(Op, 0, 0x00, rd, rs1, rs2);
    public static uint Sub(int rd, int rs1, int rs2) => R(Op, 0, 0x20, rd, rs1, rs2);
    public static uint Sll(int rd, int rs1, int rs2) => R(Op, 1, 0x00, rd, rs1, rs2);
    public static uint Slt(int rd, int rs1, int rs2) => R(Op, 2, 0x00, rd, rs1, rs2);
    public static uint Sltu(int rd, int rs1, int rs2) => R(Op, 3, 0x00, rd, rs1, rs2);
    public static uint Xor(int rd, int rs1, int rs2) => R(Op, 4, 0x00, rd, rs1, rs2);
    public static uint Srl(int rd, int rs1, int rs2) => R(Op, 5, 0x00, rd, rs1, rs2);
    public static uint Sra(int rd, int rs1, int rs2) => R(Op, 5, 0x20, rd, rs1, rs2);
    public static uint Or(int rd, int rs1, int rs2) => R(Op, 6, 0x00, rd, rs1, rs2);
    public static uint And(int rd, int rs1, int rs2) => R(Op, 7, 0x00, rd, rs1, rs2);

    public static uint Addiw(int rd, int rs1, int imm) => I(OpImm32, 0, rd, rs1, imm);
    public static uint Slliw(int rd, int rs1, int sh) => Shift(OpImm32, 1, 0x00, rd, rs1, sh, 31);
    public static uint Srliw(int rd, int rs1, int sh) => Shift(OpImm32, 5, 0x00, rd, rs1, sh, 31);
    public static uint Sraiw(int rd, int rs1, int sh) => Shift(OpImm32, 5, 0x10, rd, rs1, sh, 31);
    public static uint Addw(int rd, int rs1, int rs2) => R(Op32, 0, 0x00, rd, rs1, rs2);
    public static uint Subw(int rd, int rs1, int rs2) => R(Op32, 0, 0x20, rd, rs1, rs2);
    public static uint Sllw(int rd, int rs1, int rs2) => R(Op32, 1, 0x00, rd, rs1, rs2);
    public static uint Srlw(int rd, int rs1, int rs2) => R(Op32, 5, 0x00, rd, rs1, rs2);
    public static uint Sraw(int rd, int rs1, int rs2) => R(Op32, 5, 0x20, rd, rs1, rs2);

    // ---- M ----

    public static uint Mul(int rd, int rs1, int rs2) => R(Op, 0, 1, rd, rs1, rs2);
    public static uint Mulh(int rd, int rs1, int rs2) => R(Op, 1, 1, rd, rs1, rs2);
    public static uint Mulhsu(int rd, int rs1, int rs2) => R(Op, 2, 1, rd, rs1, rs2);
    public static uint Mulhu(int rd, int rs1, int rs2) => R(Op, 3, 1, rd, rs1, rs2);
    public static uint Div(int rd, int rs1, int rs2) => R(Op, 4, 1, rd, rs1, rs2);
    public static uint Divu(int rd, int rs1, int rs2) => R(Op, 5, 1, rd, rs1, rs2);
    public static uint Rem(int rd, int rs1, int rs2) => R(Op, 6, 1, rd, rs1, rs2);
    public static uint Remu(int rd, int rs1, int rs2) => R(Op, 7, 1, rd, rs1, rs2);
    public static uint Mulw(int rd, int rs1, int rs2) => R(Op32, 0, 1, rd, rs1, rs2);
    public static uint Divw(int rd, int rs1, int rs2) => R(Op32, 4, 1, rd, rs1, rs2);
    public static uint Divuw(int rd, int rs1, int rs2) => R(Op32, 5, 1, rd, rs1, rs2);
    public static uint Remw(int rd, int rs1, int rs2) => R(Op32, 6, 1, rd, rs1, rs2);
    public static uint Remuw(int rd, int rs1, int rs2) => R(Op32, 7, 1, rd, rs1, rs2);

    // ---- Zba, Zbb, Zbs (RV64 encodings), from the encoding diagrams of the unprivileged ISA chapter
    // "B Extension for Bit Manipulation" ----

    // Zba: shift-and-add. The .uw forms are in OP-32; slli.uw is OP-IMM-32 with imm[11:6] = 000010.
    public static uint AddUw(int rd, int rs1, int rs2) => R(Op32, 0, 0x04, rd, rs1, rs2);
    public static uint Sh1add(int rd, int rs1, int rs2) => R(Op, 2, 0x10, rd, rs1, rs2);
    public static uint Sh2add(int rd, int rs1, int rs2) => R(Op, 4, 0x10, rd, rs1, rs2);
    public static uint Sh3add(int rd, int rs1, int rs2) => R(Op, 6, 0x10, rd, rs1, rs2);
    public static uint Sh1addUw(int rd, int rs1, int rs2) => R(Op32, 2, 0x10, rd, rs1, rs2);
    public static uint Sh2addUw(int rd, int rs1, int rs2) => R(Op32, 4, 0x10, rd, rs1, rs2);
    public static uint Sh3addUw(int rd, int rs1, int rs2) => R(Op32, 6, 0x10, rd, rs1, rs2);
    public static uint SlliUw(int rd, int rs1, int sh) => Shift(OpImm32, 1, 0x02, rd, rs1, sh, 63);

    // Zbb: logical with negate, min/max, rotates (funct7 0110000), zext.h (RV64: OP-32, funct7 0000100, rs2 = 0).
    public static uint Andn(int rd, int rs1, int rs2) => R(Op, 7, 0x20, rd, rs1, rs2);
    public static uint Orn(int rd, int rs1, int rs2) => R(Op, 6, 0x20, rd, rs1, rs2);
    public static uint Xnor(int rd, int rs1, int rs2) => R(Op, 4, 0x20, rd, rs1, rs2);
    public static uint Min(int rd, int rs1, int rs2) => R(Op, 4, 0x05, rd, rs1, rs2);
    public static uint Minu(int rd, int rs1, int rs2) => R(Op, 5, 0x05, rd, rs1, rs2);
    public static uint Max(int rd, int rs1, int rs2) => R(Op, 6, 0x05, rd, rs1, rs2);
    public static uint Maxu(int rd, int rs1, int rs2) => R(Op, 7, 0x05, rd, rs1, rs2);
    public static uint Rol(int rd, int rs1, int rs2) => R(Op, 1, 0x30, rd, rs1, rs2);
    public static uint Ror(int rd, int rs1, int rs2) => R(Op, 5, 0x30, rd, rs1, rs2);
    public static uint Rolw(int rd, int rs1, int rs2) => R(Op32, 1, 0x30, rd, rs1, rs2);
    public static uint Rorw(int rd, int rs1, int rs2) => R(Op32, 5, 0x30, rd, rs1, rs2);
    public static uint Rori(int rd, int rs1, int sh) => Shift(OpImm, 5, 0x18, rd, rs1, sh, 63);
    public static uint Roriw(int rd, int rs1, int sh) => Shift(OpImm32, 5, 0x18, rd, rs1, sh, 31);
    public static uint ZextH(int rd, int rs1) => R(Op32, 4, 0x04, rd, rs1, 0);

    // Zbb unary ops: funct7 0110000, funct3 001, the operation selected by the rs2 field.
    public static uint Clz(int rd, int rs1) => R(OpImm, 1, 0x30, rd, rs1, 0);
    public static uint Ctz(int rd, int rs1) => R(OpImm, 1, 0x30, rd, rs1, 1);
    public static uint Cpop(int rd, int rs1) => R(OpImm, 1, 0x30, rd, rs1, 2);
    public static uint SextB(int rd, int rs1) => R(OpImm, 1, 0x30, rd, rs1, 4);
    public static uint SextH(int rd, int rs1) => R(OpImm, 1, 0x30, rd, rs1, 5);
    public static uint Clzw(int rd, int rs1) => R(OpImm32, 1, 0x30, rd, rs1, 0);
    public static uint Ctzw(int rd, int rs1) => R(OpImm32, 1, 0x30, rd, rs1, 1);
    public static uint Cpopw(int rd, int rs1) => R(OpImm32, 1, 0x30, rd, rs1, 2);

    // Zbb: OP-IMM funct3 101 with a fixed 12-bit immediate (RV64 rev8 is 0x6b8; 0x698 is RV32's).
    public static uint OrcB(int rd, int rs1) => I(OpImm, 5, rd, rs1, 0x287);
    public static uint Rev8(int rd, int rs1) => I(OpImm, 5, rd, rs1, 0x6b8);

    // Zbs: single-bit ops; register forms in OP, immediate forms in OP-IMM with a 6-bit index (RV64).
    public static uint Bclr(int rd, int rs1, int rs2) => R(Op, 1, 0x24, rd, rs1, rs2);
    public static uint Bext(int rd, int rs1, int rs2) => R(Op, 5, 0x24, rd, rs1, rs2);
    public static uint Binv(int rd, int rs1, int rs2) => R(Op, 1, 0x34, rd, rs1, rs2);
    public static uint Bset(int rd, int rs1, int rs2) => R(Op, 1, 0x14, rd, rs1, rs2);
    public static uint Bclri(int rd, int rs1, int sh) => Shift(OpImm, 1, 0x12, rd, rs1, sh, 63);
    public static uint Bexti(int rd, int rs1, int sh) => Shift(OpImm, 5, 0x12, rd, rs1, sh, 63);
    public static uint Binvi(int rd, int rs1, int sh) => Shift(OpImm, 1, 0x1a, rd, rs1, sh, 63);
    public static uint Bseti(int rd, int rs1, int sh) => Shift(OpImm, 1, 0x0a, rd, rs1, sh, 63);

    // ---- A ---- funct5 | aq | rl | rs2 | rs1 | funct3 (2 = .w, 3 = .d) | rd | 0101111

    public static uint AmoOp(uint funct5, bool dbl, int rd, int rs1, int rs2, bool aq = false, bool rl = false) =>
        (funct5 << 27) | ((aq ? 1u : 0u) << 26) | ((rl ? 1u : 0u) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) |
        ((dbl ? 3u : 2u) << 12) | ((uint)rd << 7) | Amo;

    public const uint F5Add = 0x00, F5Swap = 0x01, F5Lr = 0x02, F5Sc = 0x03, F5Xor = 0x04, F5Or = 0x08,
        F5And = 0x0c, F5Min = 0x10, F5Max = 0x14, F5Minu = 0x18, F5Maxu = 0x1c;

    public static uint LrW(int rd, int rs1) => AmoOp(F5Lr, false, rd, rs1, 0);
    public static uint LrD(int rd, int rs1) => AmoOp(F5Lr, true, rd, rs1, 0);
    public static uint ScW(int rd, int rs2, int rs1) => AmoOp(F5Sc, false, rd, rs1, rs2);
    public static uint ScD(int rd, int rs2, int rs1) => AmoOp(F5Sc, true, rd, rs1, rs2);

    // ---- Zicsr ----

    public static uint Csr(uint f3, int rd, int csr, int rs1OrUimm) =>
        ((uint)csr << 20) | ((uint)rs1OrUimm << 15) | (f3 << 12) | ((uint)rd << 7) | System;

    public static uint Csrrw(int rd, int csr, int rs1) => Csr(1, rd, csr, rs1);
    public static uint Csrrs(int rd, int csr, int rs1) => Csr(2, rd, csr, rs1);
    public static uint Csrrc(int rd, int csr, int rs1) => Csr(3, rd, csr, rs1);
    public static uint Csrrwi(int rd, int csr, int uimm) => Csr(5, rd, csr, uimm);
    public static uint Csrrsi(int rd, int csr, int uimm) => Csr(6, rd, csr, uimm);
    public static uint Csrrci(int rd, int csr, int uimm) => Csr(7, rd, csr, uimm);

    public const int CsrFflags = 0x001, CsrFrm = 0x002, CsrFcsr = 0x003;
    public const int CsrCycle = 0xc00, CsrTime = 0xc01, CsrInstret = 0xc02;

    // ---- C (RV64C), from the "RVC Instruction Set Listings" table ----

    /// <summary>c.addi rd, nzimm (quadrant 1, funct3 000).</summary>
    public static ushort CAddi(int rd, int imm) => CI(0b000, 0b01, rd, imm);

    /// <summary>c.li rd, imm (quadrant 1, funct3 010).</summary>
    public static ushort CLi(int rd, int imm) => CI(0b010, 0b01, rd, imm);

    public const ushort CNop = 0x0001;
    public const ushort CEbreak = 0x9002;

    private static ushort CI(uint f3, uint quadrant, int rd, int imm)
    {
        if (imm < -32 || imm > 31) throw new ArgumentOutOfRangeException(nameof(imm));
        uint u = (uint)imm;
        return (ushort)((f3 << 13) | (((u >> 5) & 1) << 12) | ((uint)rd << 7) | ((u & 0x1f) << 2) | quadrant);
    }

    /// <summary>c.j offset: offset[11|4|9:8|10|6|7|3:1|5] in bits 12..2.</summary>
    public static ushort CJ(int offset)
    {
        if ((offset & 1) != 0 || offset < -2048 || offset > 2046) throw new ArgumentOutOfRangeException(nameof(offset));
        uint o = (uint)offset;
        uint f = (((o >> 11) & 1) << 12) | (((o >> 4) & 1) << 11) | (((o >> 8) & 3) << 9) | (((o >> 10) & 1) << 8) |
                 (((o >> 6) & 1) << 7) | (((o >> 7) & 1) << 6) | (((o >> 1) & 7) << 3) | (((o >> 5) & 1) << 2);
        return (ushort)((0b101u << 13) | f | 0b01);
    }

    /// <summary>c.beqz / c.bnez rs1', offset: offset[8|4:3] in 12..10, offset[7:6|2:1|5] in 6..2.</summary>
    public static ushort CBeqz(int rs1, int offset) => CB(0b110, rs1, offset);
    public static ushort CBnez(int rs1, int offset) => CB(0b111, rs1, offset);

    private static ushort CB(uint f3, int rs1, int offset)
    {
        if (rs1 < 8 || rs1 > 15) throw new ArgumentOutOfRangeException(nameof(rs1));
        if ((offset & 1) != 0 || offset < -256 || offset > 254) throw new ArgumentOutOfRangeException(nameof(offset));
        uint o = (uint)offset;
        uint f = (((o >> 8) & 1) << 12) | (((o >> 3) & 3) << 10) | (((o >> 6) & 3) << 5) | (((o >> 1) & 3) << 3) |
                 (((o >> 5) & 1) << 2);
        return (ushort)((f3 << 13) | f | ((uint)(rs1 - 8) << 7) | 0b01);
    }

    /// <summary>c.ldsp rd, uimm(sp): uimm[5] in 12, uimm[4:3] in 6..5, uimm[8:6] in 4..2.</summary>
    public static ushort CLdsp(int rd, int uimm)
    {
        if ((uimm & 7) != 0 || uimm < 0 || uimm > 504 || rd == 0) throw new ArgumentOutOfRangeException(nameof(uimm));
        uint u = (uint)uimm;
        return (ushort)((0b011u << 13) | (((u >> 5) & 1) << 12) | ((uint)rd << 7) | (((u >> 3) & 3) << 5) |
                        (((u >> 6) & 7) << 2) | 0b10);
    }

    /// <summary>c.sdsp rs2, uimm(sp): uimm[5:3] in 12..10, uimm[8:6] in 9..7.</summary>
    public static ushort CSdsp(int rs2, int uimm)
    {
        if ((uimm & 7) != 0 || uimm < 0 || uimm > 504) throw new ArgumentOutOfRangeException(nameof(uimm));
        uint u = (uint)uimm;
        return (ushort)((0b111u << 13) | (((u >> 3) & 7) << 10) | (((u >> 6) & 7) << 7) | ((uint)rs2 << 2) | 0b10);
    }
}
