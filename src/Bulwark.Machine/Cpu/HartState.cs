using Bulwark.Machine.Cpu.Passwords;

namespace Bulwark.Machine.Cpu;

/// <summary>The architectural state of one hart in user mode. Saved and restored as a whole when the
/// kernel switches the guest thread running on a hart.</summary>
public sealed class HartState
{
    /// <summary>x0..x31 plus a scratch slot 32 that absorbs writes to x0.</summary>
    public readonly ulong[] X = new ulong[33];
    /// <summary>f0..f31 as raw bits; single-precision values are NaN-boxed (upper 32 bits all ones).</summary>
    public readonly ulong[] F = new ulong[32];
    public ulong Pc;
    /// <summary>fcsr: fflags in bits 0..4 (NX UF OF DZ NV), frm in bits 5..7.</summary>
    public uint Fcsr;
    /// <summary>pr0..pr7, the password registers (Cpu/Passwords): the thread's like any register, so
    /// they follow it through context switches, signal frames and fork.</summary>
    public readonly PasswordRegister[] P = new PasswordRegister[PasswordRegister.Count];

    public uint Frm { get => (Fcsr >> 5) & 7; set => Fcsr = (Fcsr & 0x1f) | ((value & 7) << 5); }
    public uint Fflags { get => Fcsr & 0x1f; set => Fcsr = (Fcsr & ~0x1fu) | (value & 0x1f); }

    public void CopyFrom(HartState other)
    {
        Array.Copy(other.X, X, 33);
        Array.Copy(other.F, F, 32);
        Pc = other.Pc;
        Fcsr = other.Fcsr;
        Array.Copy(other.P, P, PasswordRegister.Count);
    }
}
