namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>The password instructions, as <see cref="DecodedInsn.Sub"/> of an <see cref="Op.Custom"/>
/// instruction (see <see cref="PasswordDecoder"/> for the encodings).</summary>
public enum PwdOp : byte
{
    /// <summary>Not a password instruction (custom-2/3, or an unused encoding of custom-0/1).</summary>
    None,
    FarLb, FarLh, FarLw, FarLd, FarLbu, FarLhu, FarLwu,
    /// <summary>Far load of a 64-bit near pointer, then verification that it points into a page with the
    /// same password (the seed's loadpv).</summary>
    LoadPv,
    FarSb, FarSh, FarSw, FarSd,
    /// <summary>Far store of a near pointer whose far password (second register) must equal the
    /// destination's.</summary>
    StorePv,
    LoadPwd, StorePwd,
    /// <summary>rd = 1 when rs1 points into a page whose password (any kind) equals the register's.</summary>
    VerifyP,
}
