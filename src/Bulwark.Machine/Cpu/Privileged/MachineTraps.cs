namespace Bulwark.Machine.Cpu.Privileged;

/// <summary>The architectural trap: what a hart does when an exception or interrupt is taken into M mode,
/// and mret. With no S mode nothing is delegated: every trap goes to mtvec.</summary>
public static class MachineTraps
{
    private const ulong InterruptFlag = 1UL << 63;

    /// <summary>Takes a synchronous exception at the hart's pc (for an ecall, the ecall itself).</summary>
    public static void TakeException(Hart hart, TrapCause cause, ulong value)
    {
        Enter(hart, (ulong)cause, value, hart.Csr.Mtvec & ~3UL);
    }

    /// <summary>Takes interrupt <paramref name="code"/>; pc is the next instruction to run.</summary>
    public static void TakeInterrupt(Hart hart, int code)
    {
        ulong mtvec = hart.Csr.Mtvec;
        ulong target = (mtvec & ~3UL) + ((mtvec & 3) == 1 ? 4UL * (ulong)code : 0);
        Enter(hart, InterruptFlag | (uint)code, 0, target);
    }

    /// <summary>The cause an ecall raises in the hart's current mode.</summary>
    public static TrapCause EcallCause(Hart hart) => TrapCause.UserEcall + (int)hart.Privilege;

    /// <summary>The interrupt the hart would take now (highest priority first: external, software,
    /// timer), or -1. M-level interrupts are always enabled below M mode, and in M mode with mstatus.MIE.</summary>
    public static int DeliverableInterrupt(Hart hart)
    {
        ulong pending = hart.InterruptLines & hart.Csr.Mie;
        if (pending == 0) return -1;
        if (hart.Privilege == PrivilegeMode.Machine && (hart.Csr.Mstatus & MstatusBits.Mie) == 0) return -1;
        if ((pending & (1UL << InterruptBits.MachineExternal)) != 0) return InterruptBits.MachineExternal;
        if ((pending & (1UL << InterruptBits.MachineSoftware)) != 0) return InterruptBits.MachineSoftware;
        return InterruptBits.MachineTimer;
    }

    /// <summary>Whether an interrupt is pending and enabled in mie, whatever mstatus.MIE says: what wakes WFI.</summary>
    public static bool WakesFromWfi(Hart hart) => (hart.InterruptLines & hart.Csr.Mie) != 0;

    /// <summary>The trap exit of a kernel written in C# (one that handles traps above the board instead of at
    /// mtvec): mepc = <paramref name="pc"/>, MPP = <paramref name="mode"/>, then mret.</summary>
    public static void ReturnTo(Hart hart, PrivilegeMode mode, ulong pc)
    {
        hart.Csr.Mepc = pc;
        hart.Csr.Mstatus = (hart.Csr.Mstatus & ~MstatusBits.Mpp) | ((ulong)mode << MstatusBits.MppShift);
        hart.State.Pc = Return(hart);
    }

    /// <summary>mret: back to the mode in MPP at mepc; returns the new pc.</summary>
    internal static ulong Return(Hart hart)
    {
        var m = hart.Csr;
        var previous = m.PreviousPrivilege;
        ulong status = m.Mstatus;
        status = (status & ~MstatusBits.Mie) | ((status & MstatusBits.Mpie) != 0 ? MstatusBits.Mie : 0);
        status |= MstatusBits.Mpie;
        status &= ~MstatusBits.Mpp;
        // Leaving M mode clears MPRV (privileged spec 1.12).
        if (previous != PrivilegeMode.Machine) status &= ~MstatusBits.Mprv;
        m.Mstatus = status;
        SetPrivilege(hart, previous);
        return m.Mepc;
    }

    private static void Enter(Hart hart, ulong cause, ulong value, ulong target)
    {
        var m = hart.Csr;
        m.Mepc = hart.State.Pc;
        m.Mcause = cause;
        m.Mtval = value;
        ulong status = m.Mstatus;
        status = (status & ~MstatusBits.Mpie) | ((status & MstatusBits.Mie) != 0 ? MstatusBits.Mpie : 0);
        status &= ~(MstatusBits.Mie | MstatusBits.Mpp);
        status |= (ulong)hart.Privilege << MstatusBits.MppShift;
        m.Mstatus = status;
        SetPrivilege(hart, PrivilegeMode.Machine);
        hart.State.Pc = target;
    }

    private static void SetPrivilege(Hart hart, PrivilegeMode mode)
    {
        if (hart.Privilege == mode) return;
        hart.Privilege = mode;
        // Physical memory protection differs by mode: cached permissions no longer hold.
        hart.FlushTlb();
    }
}
