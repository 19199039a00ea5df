namespace Bulwark.Tests.Passwords;

/// <summary>The password instructions' encodings as issue 14's header writes them (`.insn i/s/r` in
/// custom-0 = 0x0B and custom-1 = 0x2B), spelled out bit by bit independently of the machine's
/// decoder. pr is a password register number (0..7), the others x-register numbers.</summary>
internal static class PwdAsm
{
    private const uint Custom0 = 0x0b, Custom1 = 0x2b;

    private static uint Imm9(int imm)
    {
        if (imm is < -256 or > 255) throw new ArgumentOutOfRangeException(nameof(imm));
        return (uint)imm & 0x1ff;
    }

    /// <summary>far.l{b,h,w,d,bu,hu,wu} (f3 0..6) and loadpv (f3 7): rd = [rs1 + imm9] through pr.</summary>
    public static uint FarLoad(uint f3, int rd, int rs1, int pr, int imm = 0) =>
        ((uint)pr << 29) | (Imm9(imm) << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((uint)rd << 7) | Custom0;

    public static uint FarLb(int rd, int rs1, int pr, int imm = 0) => FarLoad(0, rd, rs1, pr, imm);
    public static uint FarLh(int rd, int rs1, int pr, int imm = 0) => FarLoad(1, rd, rs1, pr, imm);
    public static uint FarLw(int rd, int rs1, int pr, int imm = 0) => FarLoad(2, rd, rs1, pr, imm);
    public static uint FarLd(int rd, int rs1, int pr, int imm = 0) => FarLoad(3, rd, rs1, pr, imm);
    public static uint FarLbu(int rd, int rs1, int pr, int imm = 0) => FarLoad(4, rd, rs1, pr, imm);
    public static uint FarLhu(int rd, int rs1, int pr, int imm = 0) => FarLoad(5, rd, rs1, pr, imm);
    public static uint FarLwu(int rd, int rs1, int pr, int imm = 0) => FarLoad(6, rd, rs1, pr, imm);
    public static uint LoadPv(int rd, int rs1, int pr, int imm = 0) => FarLoad(7, rd, rs1, pr, imm);

    /// <summary>far.s{b,h,w,d} (f3 0..3): [rs1 + imm9] = rs2 through pr.</summary>
    public static uint FarStore(uint f3, int rs1, int rs2, int pr, int imm = 0)
    {
        uint u = Imm9(imm);
        return ((uint)pr << 29) | ((u >> 5) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (f3 << 12) | ((u & 0x1f) << 7) | Custom1;
    }

    public static uint FarSb(int rs1, int rs2, int pr, int imm = 0) => FarStore(0, rs1, rs2, pr, imm);
    public static uint FarSh(int rs1, int rs2, int pr, int imm = 0) => FarStore(1, rs1, rs2, pr, imm);
    public static uint FarSw(int rs1, int rs2, int pr, int imm = 0) => FarStore(2, rs1, rs2, pr, imm);
    public static uint FarSd(int rs1, int rs2, int pr, int imm = 0) => FarStore(3, rs1, rs2, pr, imm);

    /// <summary>storepv: [rs1 + imm6] = rs2 through prDst, if prValue's password equals prDst's.</summary>
    public static uint StorePv(int rs1, int rs2, int prDst, int prValue, int imm = 0)
    {
        if (imm is < -32 or > 31) throw new ArgumentOutOfRangeException(nameof(imm));
        uint u = (uint)imm & 0x3f;
        return ((uint)prDst << 29) | ((uint)prValue << 26) | ((u >> 5) << 25) | ((uint)rs2 << 20) | ((uint)rs1 << 15) | (4u << 12) | ((u & 0x1f) << 7) | Custom1;
    }

    /// <summary>loadpwd pr, imm12(rs1) — `.insn i 0x2b, 5, x{pr}, imm(rs1)`.</summary>
    public static uint LoadPwd(int pr, int rs1, int imm = 0) => Cpu.Asm.I(Custom1, 5, pr, rs1, imm);

    /// <summary>storepwd pr, imm12(rs1) — `.insn s 0x2b, 6, x{pr}, imm(rs1)`.</summary>
    public static uint StorePwd(int pr, int rs1, int imm = 0) => Cpu.Asm.S(Custom1, 6, rs1, pr, imm);

    /// <summary>verifyp rd, rs1, pr — `.insn r 0x2b, 7, 0, rd, rs1, x{pr}`.</summary>
    public static uint VerifyP(int rd, int rs1, int pr) => Cpu.Asm.R(Custom1, 7, 0, rd, rs1, pr);
}
