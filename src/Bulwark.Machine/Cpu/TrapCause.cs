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
    // Causes 24..31 are designated for custom use; the password unit (Cpu/Passwords) raises these.
    /// <summary>A far access whose password does not open the page for that kind of access (or a far
    /// access outside every segment); the value is the far address.</summary>
    PasswordFault = 24,
    /// <summary>Table mode: the register's shadow differs from its slot in the canonical section (the
    /// password was rotated, or the grant revoked); the value is the far address.</summary>
    PasswordStale = 25,
    /// <summary>loadpv read a pointer that leads into no page its password opens; the value is the pointer.</summary>
    PointerVerifyFault = 26,
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
