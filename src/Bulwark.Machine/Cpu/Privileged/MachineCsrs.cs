namespace Bulwark.Machine.Cpu.Privileged;

/// <summary>The machine-mode control and status registers of one hart. They belong to the hart, not to
/// a thread: the Linux kernel never swaps them (its harts stay in U mode with floating point on); on the
/// system board the guest's own M-mode software owns them.</summary>
public sealed class MachineCsrs
{
    /// <summary>mstatus without SD, which is derived from FS when read.</summary>
    public ulong Mstatus = MstatusBits.Uxl64;
    public ulong Mtvec, Mepc, Mcause, Mtval, Mscratch, Mie;
    public ulong Mcounteren;
    /// <summary>With no S mode only the Bare mode (0) can be written.</summary>
    public ulong Satp;

    /// <summary>Added to the retired-instruction count to give minstret and mcycle, which software may write.</summary>
    public ulong InstretOffset, CycleOffset;

    public PrivilegeMode PreviousPrivilege => (PrivilegeMode)((Mstatus & MstatusBits.Mpp) >> MstatusBits.MppShift);

    public bool FloatingPointOn => (Mstatus & MstatusBits.Fs) != 0;
}

/// <summary>mstatus fields (privileged spec, "Machine Status Register").</summary>
public static class MstatusBits
{
    public const int MppShift = 11;
    public const ulong Mie = 1UL << 3, Mpie = 1UL << 7, Mpp = 3UL << MppShift, Fs = 3UL << 13, FsDirty = 3UL << 13,
        Mprv = 1UL << 17, Tw = 1UL << 21, Uxl64 = 2UL << 32, Sd = 1UL << 63;

    /// <summary>What software can change with M and U modes only (SIE, SPIE, SPP, SUM, MXR, TVM and TSR
    /// are read-only zero without S mode; UXL is fixed at 64 bits).</summary>
    public const ulong Writable = Mie | Mpie | Mpp | Fs | Mprv | Tw;
}

/// <summary>Interrupt numbers: the bits of mip and mie and the mcause codes of machine-level interrupts.</summary>
public static class InterruptBits
{
    public const int MachineSoftware = 3, MachineTimer = 7, MachineExternal = 11;
    public const ulong Machine = (1UL << MachineSoftware) | (1UL << MachineTimer) | (1UL << MachineExternal);
}
