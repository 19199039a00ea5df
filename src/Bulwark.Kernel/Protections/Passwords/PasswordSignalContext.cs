using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Passwords;
using Process = Bulwark.Kernel.Processes.Process;

namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>The password registers in a signal frame, so a handler may use them (and siglongjmp away,
/// or return) without the interrupted code losing its own. They go in the part of the mcontext's
/// floating-point union that the D extension leaves unused (the Q layout's space, which this machine
/// has no use for), after a magic word:
/// <code>fp state + 264: u32 magic 'PWDR', u32 count (8), then count × 16 bytes of register values</code>
/// Only the user-visible value is saved: in table mode that is the slot address, never the shadow
/// (the frame is user memory); rt_sigreturn refills the shadow from the process's slot, as loadpwd would.</summary>
public static class PasswordSignalContext
{
    public const int Offset = 264;
    public const uint Magic = 0x52445750;   // "PWDR"
    public const int Size = 8 + PasswordRegister.Count * 16;

    public static void Save(SharedSegments shared, Span<byte> at, HartState regs)
    {
        if (shared.Unit == null) return;
        BitConverter.TryWriteBytes(at, Magic);
        BitConverter.TryWriteBytes(at[4..], PasswordRegister.Count);
        for (int i = 0; i < PasswordRegister.Count; i++)
        {
            var value = regs.P[i].Value;
            BitConverter.TryWriteBytes(at[(8 + 16 * i)..], value.Lo);
            BitConverter.TryWriteBytes(at[(16 + 16 * i)..], value.Hi);
        }
    }

    public static void Restore(SharedSegments shared, Process process, ReadOnlySpan<byte> at, HartState regs)
    {
        if (shared.Unit == null || BitConverter.ToUInt32(at) != Magic || BitConverter.ToInt32(at[4..]) != PasswordRegister.Count) return;
        var section = shared.SectionOf(process);
        for (int i = 0; i < PasswordRegister.Count; i++)
        {
            ulong lo = BitConverter.ToUInt64(at[(8 + 16 * i)..]), hi = BitConverter.ToUInt64(at[(16 + 16 * i)..]);
            ref var pr = ref regs.P[i];
            if (shared.Mode == SharedProtectionMode.Password) pr.Value = new Password128(lo, hi);
            else
            {
                pr.Value = new Password128(lo, 0);
                pr.Shadow = section?.Read(lo) ?? Password128.Zero;
            }
        }
    }
}
