using Bulwark.Machine.Cpu.Fpu;
using Bulwark.Machine.Cpu.Passwords;

namespace Bulwark.Machine.Cpu;

/// <summary>Decodes one RV64GC instruction into a <see cref="DecodedInsn"/>. Compressed instructions
/// are first expanded to their 32-bit equivalents, so execution only knows one form.</summary>
public static class Decoder
{
    public static DecodedInsn Decode(uint bits)
    {
        if ((bits & 3) != 3)
        {
            uint expanded = Rvc.Expand((ushort)bits);
            var c = expanded == 0 ? Illegal(bits & 0xffff) : Decode32(expanded);
            c.Length = 2;
            c.Raw = bits & 0xffff;
            return c;
        }
        var d = Decode32(bits);
        d.Length = 4;
        return d;
    }

    private static DecodedInsn Illegal(uint raw) => new() { Op = Op.Illegal, Raw = raw };

    private static int ImmI(uint i) => (int)i >> 20;
    private static int ImmS(uint i) => ((int)(i & 0xfe000000) >> 20) | (int)((i >> 7) & 0x1f);
    private static int ImmB(uint i) =>
        ((int)(i & 0x80000000) >> 19) + (int)(((i & 0x80) << 4) | ((i >> 20) & 0x7e0) | ((i >> 7) & 0x1e));
    private static int ImmU(uint i) => (int)(i & 0xfffff000);
    private static int ImmJ(uint i) =>
        ((int)(i & 0x80000000) >> 11) + (int)((i & 0xff000) | ((i >> 9) & 0x800) | ((i >> 20) & 0x7fe));

    private static DecodedInsn Decode32(uint i)
    {
        var d = new DecodedInsn
        {
            Raw = i,
            Rd = (byte)((i >> 7) & 31),
            Rs1 = (byte)((i >> 15) & 31),
            Rs2 = (byte)((i >> 20) & 31),
            Rs3 = (byte)(i >> 27),
        };
        uint f3 = (i >> 12) & 7;
        uint f7 = i >> 25;
        uint opcode = i & 0x7f;
        Op op = Op.Illegal;
        bool writesIntRd = true;
        switch (opcode)
        {
            case 0x37: op = Op.Lui; d.Imm = ImmU(i); break;
            case 0x17: op = Op.Auipc; d.Imm = ImmU(i); break;
            case 0x6f: op = Op.Jal; d.Imm = ImmJ(i); break;
            case 0x67: if (f3 == 0) { op = Op.Jalr; d.Imm = ImmI(i); } break;
            case 0x63:
                writesIntRd = false;
                d.Imm = ImmB(i);
                op = f3 switch { 0 => Op.Beq, 1 => Op.Bne, 4 => Op.Blt, 5 => Op.Bge, 6 => Op.Bltu, 7 => Op.Bgeu, _ => Op.Illegal };
                break;
            case 0x03:
                d.Imm = ImmI(i);
                op = f3 switch { 0 => Op.Lb, 1 => Op.Lh, 2 => Op.Lw, 3 => Op.Ld, 4 => Op.Lbu, 5 => Op.Lhu, 6 => Op.Lwu, _ => Op.Illegal };
                break;
            case 0x23:
                writesIntRd = false;
                d.Imm = ImmS(i);
                op = f3 switch { 0 => Op.Sb, 1 => Op.Sh, 2 => Op.Sw, 3 => Op.Sd, _ => Op.Illegal };
                break;
            case 0x13:
                d.Imm = ImmI(i);
                switch (f3)
                {
                    case 0: op = Op.Addi; break;
                    case 2: op = Op.Slti; break;
                    case 3: op = Op.Sltiu; break;
                    case 4: op = Op.Xori; break;
                    case 6: op = Op.Ori; break;
                    case 7: op = Op.Andi; break;
                    case 1: op = DecodeOpImm001(i, ref d); break;
                    case 5: op = DecodeOpImm101(i, ref d); break;
                }
                break;
            case 0x1b:
                d.Imm = ImmI(i);
                switch (f3)
                {
                    case 0: op = Op.Addiw; break;
                    case 1:
                        if (f7 == 0) { op = Op.Slliw; d.Imm = (int)((i >> 20) & 31); }
                        else if ((i >> 26) == 0x02) { op = Op.SlliUw; d.Imm = (int)((i >> 20) & 63); }
                        else if (f7 == 0x30) op = d.Rs2 switch { 0 => Op.Clzw, 1 => Op.Ctzw, 2 => Op.Cpopw, _ => Op.Illegal };
                        break;
                    case 5:
                        d.Imm = (int)((i >> 20) & 31);
                        if (f7 == 0) op = Op.Srliw;
                        else if (f7 == 0x20) op = Op.Sraiw;
                        else if (f7 == 0x30) op = Op.Roriw;
                        break;
                }
                break;
            case 0x33: op = DecodeOp(f3, f7); break;
            case 0x3b: op = DecodeOp32(f3, f7, d.Rs2); break;
            case 0x2f: op = DecodeAtomic(i, f3, ref d); break;
            case 0x0f:
                writesIntRd = false;
                op = f3 switch { 0 => Op.Fence, 1 => Op.FenceI, _ => Op.Illegal };
                break;
            case 0x73: op = DecodeSystem(i, f3, ref d, ref writesIntRd); break;
            case 0x07:
                writesIntRd = false;
                d.Imm = ImmI(i);
                op = f3 switch { 2 => Op.Flw, 3 => Op.Fld, _ => Op.Illegal };
                break;
            case 0x27:
                writesIntRd = false;
                d.Imm = ImmS(i);
                op = f3 switch { 2 => Op.Fsw, 3 => Op.Fsd, _ => Op.Illegal };
                break;
            case 0x43:
            case 0x47:
            case 0x4b:
            case 0x4f:
            case 0x53:
                return FpDecoder.TryDecode(i, ref d) ? d : Illegal(i);
            // custom-0/1 carry the password instructions, with their own immediates and rd rules.
            case 0x0b:
            case 0x2b:
                op = Op.Custom;
                writesIntRd = PasswordDecoder.Decode(i, ref d);
                break;
            // custom-2 is CHERI-RISC-V's, custom-3 unassigned: raw, for whatever unit is plugged in.
            case 0x5b:
            case 0x7b:
                op = Op.Custom;
                writesIntRd = false;
                break;
        }
        d.Op = op;
        if (op == Op.Illegal) return Illegal(i);
        if (writesIntRd && d.Rd == 0) d.Rd = 32;
        return d;
    }

    private static Op DecodeOp(uint f3, uint f7) => f7 switch
    {
        0 => f3 switch { 0 => Op.Add, 1 => Op.Sll, 2 => Op.Slt, 3 => Op.Sltu, 4 => Op.Xor, 5 => Op.Srl, 6 => Op.Or, _ => Op.And },
        0x20 => f3 switch { 0 => Op.Sub, 5 => Op.Sra, 4 => Op.Xnor, 6 => Op.Orn, 7 => Op.Andn, _ => Op.Illegal },
        1 => f3 switch { 0 => Op.Mul, 1 => Op.Mulh, 2 => Op.Mulhsu, 3 => Op.Mulhu, 4 => Op.Div, 5 => Op.Divu, 6 => Op.Rem, _ => Op.Remu },
        0x10 => f3 switch { 2 => Op.Sh1add, 4 => Op.Sh2add, 6 => Op.Sh3add, _ => Op.Illegal },
        0x05 => f3 switch { 4 => Op.Min, 5 => Op.Minu, 6 => Op.Max, 7 => Op.Maxu, _ => Op.Illegal },
        0x30 => f3 switch { 1 => Op.Rol, 5 => Op.Ror, _ => Op.Illegal },
        0x24 => f3 switch { 1 => Op.Bclr, 5 => Op.Bext, _ => Op.Illegal },
        0x34 => f3 switch { 1 => Op.Binv, _ => Op.Illegal },
        0x14 => f3 switch { 1 => Op.Bset, _ => Op.Illegal },
        _ => Op.Illegal,
    };

    private static Op DecodeOp32(uint f3, uint f7, byte rs2) => f7 switch
    {
        0 => f3 switch { 0 => Op.Addw, 1 => Op.Sllw, 5 => Op.Srlw, _ => Op.Illegal },
        0x20 => f3 switch { 0 => Op.Subw, 5 => Op.Sraw, _ => Op.Illegal },
        1 => f3 switch { 0 => Op.Mulw, 4 => Op.Divw, 5 => Op.Divuw, 6 => Op.Remw, 7 => Op.Remuw, _ => Op.Illegal },
        0x04 => f3 switch { 0 => Op.AddUw, 4 when rs2 == 0 => Op.ZextH, _ => Op.Illegal },
        0x10 => f3 switch { 2 => Op.Sh1addUw, 4 => Op.Sh2addUw, 6 => Op.Sh3addUw, _ => Op.Illegal },
        0x30 => f3 switch { 1 => Op.Rolw, 5 => Op.Rorw, _ => Op.Illegal },
        _ => Op.Illegal,
    };

    /// <summary>OP-IMM funct3 001: by imm[11:6], slli, bseti, bclri, binvi (all with a 6-bit shamt) and
    /// the Zbb unary ops (funct7 0110000, the op in the rs2 field).</summary>
    private static Op DecodeOpImm001(uint i, ref DecodedInsn d)
    {
        d.Imm = (int)((i >> 20) & 63);
        return (i >> 26) switch
        {
            0x00 => Op.Slli,
            0x0a => Op.Bseti,
            0x12 => Op.Bclri,
            0x1a => Op.Binvi,
            0x18 when (i >> 25) == 0x30 => d.Rs2 switch
            {
                0 => Op.Clz,
                1 => Op.Ctz,
                2 => Op.Cpop,
                4 => Op.SextB,
                5 => Op.SextH,
                _ => Op.Illegal,
            },
            _ => Op.Illegal,
        };
    }

    /// <summary>OP-IMM funct3 101: srli, srai, rori, bexti by imm[11:6]; orc.b and rev8 by the whole
    /// imm[11:0].</summary>
    private static Op DecodeOpImm101(uint i, ref DecodedInsn d)
    {
        d.Imm = (int)((i >> 20) & 63);
        return (i >> 20) switch
        {
            0x287 => Op.OrcB,
            0x6b8 => Op.Rev8,
            _ => (i >> 26) switch { 0x00 => Op.Srli, 0x10 => Op.Srai, 0x18 => Op.Rori, 0x12 => Op.Bexti, _ => Op.Illegal },
        };
    }

    private static Op DecodeAtomic(uint i, uint f3, ref DecodedInsn d)
    {
        uint f5 = i >> 27;
        d.Sub = (byte)((i >> 25) & 3);
        bool word = f3 == 2;
        if (!word && f3 != 3) return Op.Illegal;
        switch (f5)
        {
            case 0x02: return d.Rs2 == 0 ? (word ? Op.LrW : Op.LrD) : Op.Illegal;
            case 0x03: return word ? Op.ScW : Op.ScD;
            case 0x01: return word ? Op.AmoSwapW : Op.AmoSwapD;
            case 0x00: return word ? Op.AmoAddW : Op.AmoAddD;
            case 0x04: return word ? Op.AmoXorW : Op.AmoXorD;
            case 0x0c: return word ? Op.AmoAndW : Op.AmoAndD;
            case 0x08: return word ? Op.AmoOrW : Op.AmoOrD;
            case 0x10: return word ? Op.AmoMinW : Op.AmoMinD;
            case 0x14: return word ? Op.AmoMaxW : Op.AmoMaxD;
            case 0x18: return word ? Op.AmoMinuW : Op.AmoMinuD;
            case 0x1c: return word ? Op.AmoMaxuW : Op.AmoMaxuD;
            default: return Op.Illegal;
        }
    }

    private static Op DecodeSystem(uint i, uint f3, ref DecodedInsn d, ref bool writesIntRd)
    {
        d.Imm = (int)(i >> 20);
        switch (f3)
        {
            case 0:
                writesIntRd = false;
                return i switch { 0x00000073 => Op.Ecall, 0x00100073 => Op.Ebreak, 0x30200073 => Op.Mret, 0x10500073 => Op.Wfi, _ => Op.Illegal };
            case 1: return Op.Csrrw;
            case 2: return Op.Csrrs;
            case 3: return Op.Csrrc;
            case 5: return Op.Csrrwi;
            case 6: return Op.Csrrsi;
            case 7: return Op.Csrrci;
            default: return Op.Illegal;
        }
    }
}
