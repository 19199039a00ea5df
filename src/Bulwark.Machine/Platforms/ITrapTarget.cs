using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Privileged;

namespace Bulwark.Machine.Platforms;

/// <summary>Where a hart's exceptions and interrupts go: the one thing besides the translator and the
/// bus that differs between platforms. On the system board they are taken architecturally, into the
/// guest's own M-mode handler at mtvec; a kernel written in C# (s3k) handles them itself.</summary>
public interface ITrapTarget
{
    /// <summary>A synchronous exception; pc is at the instruction that raised it (for ecall, the ecall).</summary>
    void Exception(Hart hart, TrapCause cause, ulong value);

    /// <summary>An enabled interrupt is pending (see <see cref="MachineTraps.DeliverableInterrupt"/>).</summary>
    void Interrupt(Hart hart, int code);
}

/// <summary>The hardware's own behaviour: every trap enters M mode at mtvec.</summary>
public sealed class ArchitecturalTraps : ITrapTarget
{
    public void Exception(Hart hart, TrapCause cause, ulong value) => MachineTraps.TakeException(hart, cause, value);

    public void Interrupt(Hart hart, int code) => MachineTraps.TakeInterrupt(hart, code);
}
