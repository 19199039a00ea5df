namespace Bulwark.S3k.Processes;

/// <summary>Process state flags (proc.h); a process waiting on channel c holds BLOCKED | c &lt;&lt; 48.</summary>
public static class ProcState
{
    public const ulong Busy = 1, Blocked = 2, Suspended = 4;
    public const int ChannelShift = 48;

    public static ulong Waiting(ushort chan) => Blocked | ((ulong)chan << ChannelShift);
}

/// <summary>A process control block (proc_t): state, registers, the PMP configuration the kernel loads
/// into the hart when it dispatches the process, and its timeout: while it runs, the end of its time; while
/// it waits, the time before which it cannot be scheduled (0: now; ulong.MaxValue: never).</summary>
public sealed class Process
{
    public Process(int pid, int pmpCount)
    {
        Pid = pid;
        PmpCfg = new byte[pmpCount];
        PmpAddr = new ulong[pmpCount];
    }

    public int Pid { get; }
    public ulong State;
    public readonly ulong[] Regs = new ulong[(int)Reg.Count];
    public readonly byte[] PmpCfg;
    public readonly ulong[] PmpAddr;
    public ulong Timeout;

    public ref ulong this[Reg r] => ref Regs[(int)r];

    /// <summary>regs[index] as C reaches it from a register number whose low 32 bits passed s3k's check
    /// (REG_READ and REG_WRITE index with the whole 64-bit argument): beyond the registers is undefined.</summary>
    public ref ulong Word(ulong index)
    {
        if (index >= (ulong)Regs.Length) throw new KernelFault($"register 0x{index:x} of pid {Pid} lies outside its registers (undefined behaviour in s3k)");
        return ref Regs[index];
    }

    public override string ToString() => $"pid {Pid} (state 0x{State:x})";
}
