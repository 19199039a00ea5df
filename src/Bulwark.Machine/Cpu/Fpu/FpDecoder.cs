namespace Bulwark.Machine.Cpu.Fpu;

/// <summary>Decodes the F/D computational opcodes: FMADD (0x43), FMSUB (0x47), FNMSUB (0x4B),
/// FNMADD (0x4F) and OP-FP (0x53), formats S and D.</summary>
public static class FpDecoder
{
    /// <summary>Decodes <paramref name="raw"/> into <paramref name="d"/> (Op, Sub, Rm, Rd, Rs1..3, Raw).
    /// An integer destination x0 is decoded as the scratch register 32. Returns false (leaving
    /// <paramref name="d"/> unspecified) if the bits are not a valid F/D instruction. Does not set Length.</summary>
    public static bool TryDecode(uint raw, ref DecodedInsn d)
    {
        uint opcode = raw & 0x7F;
        int rd = (int)((raw >> 7) & 31);
        uint rm = (raw >> 12) & 7;
        int rs1 = (int)((raw >> 15) & 31);
        int rs2 = (int)((raw >> 20) & 31);
        uint fmt = (raw >> 25) & 3;
        uint funct5 = raw >> 27;
        if (fmt > 1) return false;
        bool dbl = fmt == 1;
        FpOp op;
        bool intRd = false;

        switch (opcode)
        {
            case 0x43: op = dbl ? FpOp.FmaddD : FpOp.FmaddS; break;
            case 0x47: op = dbl ? FpOp.FmsubD : FpOp.FmsubS; break;
            case 0x4B: op = dbl ? FpOp.FnmsubD : FpOp.FnmsubS; break;
            case 0x4F: op = dbl ? FpOp.FnmaddD : FpOp.FnmaddS; break;
            case 0x53:
                switch (funct5)
                {
                    case 0x00: op = dbl ? FpOp.FaddD : FpOp.FaddS; break;
                    case 0x01: op = dbl ? FpOp.FsubD : FpOp.FsubS; break;
                    case 0x02: op = dbl ? FpOp.FmulD : FpOp.FmulS; break;
                    case 0x03: op = dbl ? FpOp.FdivD : FpOp.FdivS; break;
                    case 0x0B:
                        if (rs2 != 0) return false;
                        op = dbl ? FpOp.FsqrtD : FpOp.FsqrtS; break;
                    case 0x04:
                        switch (rm)
                        {
                            case 0: op = dbl ? FpOp.FsgnjD : FpOp.FsgnjS; break;
                            case 1: op = dbl ? FpOp.FsgnjnD : FpOp.FsgnjnS; break;
                            case 2: op = dbl ? FpOp.FsgnjxD : FpOp.FsgnjxS; break;
                            default: return false;
                        }
                        break;
                    case 0x05:
                        switch (rm)
                        {
                            case 0: op = dbl ? FpOp.FminD : FpOp.FminS; break;
                            case 1: op = dbl ? FpOp.FmaxD : FpOp.FmaxS; break;
                            default: return false;
                        }
                        break;
                    case 0x08:
                        // fcvt.s.d: fmt S, rs2 = 1 (D); fcvt.d.s: fmt D, rs2 = 0 (S).
                        if (!dbl && rs2 == 1) op = FpOp.FcvtSD;
                        else if (dbl && rs2 == 0) op = FpOp.FcvtDS;
                        else return false;
                        break;
                    case 0x14:
                        switch (rm)
                        {
                            case 0: op = dbl ? FpOp.FleD : FpOp.FleS; break;
                            case 1: op = dbl ? FpOp.FltD : FpOp.FltS; break;
                            case 2: op = dbl ? FpOp.FeqD : FpOp.FeqS; break;
                            default: return false;
                        }
                        intRd = true;
                        break;
                    case 0x18:
                        switch (rs2)
                        {
                            case 0: op = dbl ? FpOp.FcvtWD : FpOp.FcvtWS; break;
                            case 1: op = dbl ? FpOp.FcvtWuD : FpOp.FcvtWuS; break;
                            case 2: op = dbl ? FpOp.FcvtLD : FpOp.FcvtLS; break;
                            case 3: op = dbl ? FpOp.FcvtLuD : FpOp.FcvtLuS; break;
                            default: return false;
                        }
                        intRd = true;
                        break;
                    case 0x1A:
                        switch (rs2)
                        {
                            case 0: op = dbl ? FpOp.FcvtDW : FpOp.FcvtSW; break;
                            case 1: op = dbl ? FpOp.FcvtDWu : FpOp.FcvtSWu; break;
                            case 2: op = dbl ? FpOp.FcvtDL : FpOp.FcvtSL; break;
                            case 3: op = dbl ? FpOp.FcvtDLu : FpOp.FcvtSLu; break;
                            default: return false;
                        }
                        break;
                    case 0x1C:
                        if (rs2 != 0) return false;
                        if (rm == 0) op = dbl ? FpOp.FmvXD : FpOp.FmvXW;
                        else if (rm == 1) op = dbl ? FpOp.FclassD : FpOp.FclassS;
                        else return false;
                        intRd = true;
                        break;
                    case 0x1E:
                        if (rs2 != 0 || rm != 0) return false;
                        op = dbl ? FpOp.FmvDX : FpOp.FmvWX;
                        break;
                    default:
                        return false;
                }
                break;
            default:
                return false;
        }

        d.Op = Op.Fp;
        d.Sub = (byte)op;
        d.Rm = (byte)rm;
        d.Rd = (byte)(intRd && rd == 0 ? 32 : rd);
        d.Rs1 = (byte)rs1;
        d.Rs2 = (byte)rs2;
        d.Rs3 = opcode == 0x53 ? (byte)0 : (byte)(raw >> 27);
        d.Imm = 0;
        d.Raw = raw;
        return true;
    }
}
