namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>Encodings of the password instructions in custom-0 (0x0B) and custom-1 (0x2B); custom-2
/// is CHERI-RISC-V's and stays untouched. The password register (pr0..pr7) is decoded into
/// <see cref="DecodedInsn.Rs3"/>, a second one (storepv's value) into <see cref="DecodedInsn.Rm"/>.
/// <code>
/// custom-0, far loads:  [31:29] pr  [28:20] imm9          rs1 f3 rd     f3: 0 lb 1 lh 2 lw 3 ld 4 lbu 5 lhu 6 lwu 7 loadpv
/// custom-1, far stores: [31:29] pr  [28:25] imm9[8:5] rs2 rs1 f3 imm9[4:0]   f3: 0 sb 1 sh 2 sw 3 sd
/// custom-1 f3=4 storepv: [31:29] pr(dst) [28:26] pr(value) [25] imm6[5] rs2 rs1 100 imm6[4:0]
/// custom-1 f3=5 loadpwd: [31:20] imm12 rs1 101 [11:10]=0 [9:7] pr            (I-type, rd = pr)
/// custom-1 f3=6 storepwd: [31:25] imm12[11:5] [24:23]=0 [22:20] pr rs1 110 imm12[4:0]  (S-type, rs2 = pr)
/// custom-1 f3=7 [31:25]=0 verifyp: [24:23]=0 [22:20] pr rs1 111 rd
/// </code>
/// The 9-bit (6-bit for storepv) offsets are the instructions' own: the top of the 12-bit field carries
/// the password register, so `.insn i`/`.insn s` in a header can write one as imm12 = pr&lt;&lt;9 | offset.</summary>
public static class PasswordDecoder
{
    public const uint Custom0 = 0x0b, Custom1 = 0x2b;

    /// <summary>Fills <paramref name="d"/> for a custom-0/1 instruction; returns whether it writes rd.
    /// An encoding that is no password instruction is left as <see cref="PwdOp.None"/> (the unit, if
    /// any, decides whether it is illegal).</summary>
    public static bool Decode(uint i, ref DecodedInsn d)
    {
        uint f3 = (i >> 12) & 7;
        uint opcode = i & 0x7f;
        d.Rs3 = (byte)(i >> 29);
        if (opcode == Custom0)
        {
            d.Imm = (int)(i << 3) >> 23;
            d.Sub = (byte)(f3 == 7 ? PwdOp.LoadPv : PwdOp.FarLb + (byte)f3);
            return true;
        }
        if (opcode != Custom1) return false;
        switch (f3)
        {
            case <= 3:
                d.Imm = ((int)(i << 3) >> 23 & ~0x1f) | (int)((i >> 7) & 0x1f);
                d.Sub = (byte)(PwdOp.FarSb + (byte)f3);
                return false;
            case 4:
                d.Rm = (byte)((i >> 26) & 7);
                d.Imm = ((int)(i << 6) >> 26 & ~0x1f) | (int)((i >> 7) & 0x1f);
                d.Sub = (byte)PwdOp.StorePv;
                return false;
            case 5:
                if (((i >> 10) & 3) != 0) return false;
                d.Rs3 = (byte)((i >> 7) & 7);
                d.Imm = (int)i >> 20;
                d.Sub = (byte)PwdOp.LoadPwd;
                return false;
            case 6:
                if (((i >> 23) & 3) != 0) return false;
                d.Rs3 = (byte)((i >> 20) & 7);
                d.Imm = ((int)(i & 0xfe000000) >> 20) | (int)((i >> 7) & 0x1f);
                d.Sub = (byte)PwdOp.StorePwd;
                return false;
            default:
                if ((i >> 25) != 0 || ((i >> 23) & 3) != 0) return false;
                d.Rs3 = (byte)((i >> 20) & 7);
                d.Sub = (byte)PwdOp.VerifyP;
                return true;
        }
    }
}
