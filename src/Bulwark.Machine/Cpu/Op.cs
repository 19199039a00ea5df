namespace Bulwark.Machine.Cpu;

/// <summary>The operation of a pre-decoded instruction. Compressed instructions decode to the same
/// operations as their 32-bit equivalents; F/D arithmetic is one <see cref="Fp"/> op with its own sub-code.</summary>
public enum Op : byte
{
    /// <summary>Slot not decoded yet: the interpreter decodes it on first execution.</summary>
    Undecoded,
    Illegal,
    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu,
    Sb, Sh, Sw, Sd,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Addiw, Slliw, Srliw, Sraiw,
    Addw, Subw, Sllw, Srlw, Sraw,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    Mulw, Divw, Divuw, Remw, Remuw,
    LrW, ScW, LrD, ScD,
    AmoSwapW, AmoAddW, AmoXorW, AmoAndW, AmoOrW, AmoMinW, AmoMaxW, AmoMinuW, AmoMaxuW,
    AmoSwapD, AmoAddD, AmoXorD, AmoAndD, AmoOrD, AmoMinD, AmoMaxD, AmoMinuD, AmoMaxuD,
    Fence, FenceI, Ecall, Ebreak,
    /// <summary>Privileged: return from a machine-mode trap, and wait for an interrupt.</summary>
    Mret, Wfi,
    Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci,
    Flw, Fld, Fsw, Fsd,
    Fp,
    // Bit manipulation: one contiguous block, BitManip.First..BitManip.Last, executed by BitManip. Zba:
    AddUw, Sh1add, Sh2add, Sh3add, Sh1addUw, Sh2addUw, Sh3addUw, SlliUw,
    // Zbb:
    Andn, Orn, Xnor, Clz, Clzw, Ctz, Ctzw, Cpop, Cpopw, Max, Maxu, Min, Minu,
    SextB, SextH, ZextH, Rol, Rolw, Ror, Rorw, Rori, Roriw, OrcB, Rev8,
    // Zbs:
    Bclr, Bclri, Bext, Bexti, Binv, Binvi, Bset, Bseti,
    /// <summary>A custom-0..3 opcode: handed to the machine's custom-instruction extension, if any.</summary>
    Custom,
}
