namespace Bulwark.Machine.Cpu;

/// <summary>Synchronous exception causes, numbered as in the RISC-V privileged spec (mcause).</summary>
public enum TrapCause
{
    InstructionMisaligned = 0,
    InstructionAccessFault = 1,
    IllegalInstruction = 2,
    Breakpoint = 3,
    LoadMisaligned = 4,
    LoadAccessFault = 5,
    StoreMisaligned = 6,
    StoreAccessFault = 7,
    UserEcall = 8,
    MachineEcall = 11,
    InstructionPageFault = 12,
    LoadPageFault = 13,
    StorePageFault = 15,
}

/// <summary>Why <see cref="IExecutionEngine.Run"/> returned.</summary>
public enum StopReason
{
    /// <summary>The instruction budget ran out; the hart can simply be run again.</summary>
    BudgetExhausted,
    /// <summary>An ecall: pc still points at it.</summary>
    Ecall,
    /// <summary>A synchronous exception: see <see cref="Hart.TrapCause"/> and <see cref="Hart.TrapValue"/>.</summary>
    Trap,
    /// <summary>WFI retired: the hart waits until an interrupt is pending (pc is past it).</summary>
    Wfi,
    /// <summary>An instruction retired that may change which interrupts are pending or enabled (a CSR or
    /// device write, mret): the platform looks before the hart goes on (pc is past it).</summary>
    Yield,
}

/// <summary>Raised inside the execution engine to abandon the current instruction; never escapes it.</summary>
internal sealed class GuestTrapException(TrapCause cause, ulong value) : Exception
{
    public TrapCause Cause { get; } = cause;
    public ulong Value { get; } = value;
}
