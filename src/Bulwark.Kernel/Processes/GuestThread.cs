using Bulwark.Machine.Cpu;

namespace Bulwark.Kernel.Processes;

public enum RunState
{
    /// <summary>Waiting in the ready queue for a hart.</summary>
    Ready,
    /// <summary>On a hart: runs user code, or resumes its kernel continuation if it has one.</summary>
    OnHart,
    /// <summary>Waiting for a wake-up (futex, pipe, child, sleep); holds no hart.</summary>
    Blocked,
    Dead,
}

/// <summary>A guest thread (a Linux task): its registers, its place in the scheduler and, while it is
/// inside a system call that was preempted or blocked, the continuation that resumes that call.</summary>
public sealed class GuestThread(int tid, Process process, HartState registers)
{
    /// <summary>execve from a thread other than the leader gives it the leader's id.</summary>
    public int Tid { get; internal set; } = tid;
    public Process Process { get; set; } = process;
    public HartState Registers { get; } = registers;
    public RunState State { get; set; } = RunState.Ready;
    public Hart? Hart { get; set; }

    /// <summary>Where a preempted or blocked system call resumes; null while the thread is in user mode.</summary>
    public Action? Continuation { get; set; }
    public bool InSyscall { get; set; }
    /// <summary>Per-thread state owned by the run's user-access policy (a protection's view of the
    /// thread's current system call); kept here so the policy needs no lookup per call.</summary>
    public object? UserAccessState { get; set; }
    /// <summary>Set by sched_yield: give up the hart once the call returns.</summary>
    public bool YieldRequested { get; set; }

    public ulong ClearChildTid { get; set; }
    public ulong RobustList { get; set; }
    public ulong SignalMask { get; set; }
    /// <summary>The mask to restore when a call that waits with a temporary mask (ppoll, pselect6,
    /// epoll_pwait, rt_sigsuspend) returns; a signal frame pushed on that return saves this one.</summary>
    public ulong? SavedSignalMask { get; set; }
    /// <summary>sigaltstack's alternate signal stack, if one is set.</summary>
    public Signals.AlternateStack? AltStack { get; set; }
    public ulong PendingSignals { get; set; }
    /// <summary>si_code of each pending signal (SI_USER, SI_TKILL...), by signal number.</summary>
    public int[] PendingCodes { get; } = new int[65];

    /// <summary>Why the last block ended; read by the blocked call when it resumes.</summary>
    public WakeReason WakeReason { get; set; }
    /// <summary>Virtual deadline (ns) of the current block, or ulong.MaxValue.</summary>
    public ulong WakeDeadline { get; set; } = ulong.MaxValue;
    /// <summary>The wait queue the thread is blocked on, so a timeout or signal can remove it.</summary>
    public WaitQueue? WaitingOn { get; set; }

    /// <summary>Brute-force throttling: the virtual time before which the thread must not run (0: none).</summary>
    public ulong PenaltyUntilNs { get; set; }

    /// <summary>Instructions left in the current time slice.</summary>
    public long SliceLeft { get; set; }

    public override string ToString() => $"thread {Tid} of pid {Process.Pid}";
}

public enum WakeReason
{
    Woken,
    TimedOut,
    Interrupted,
}
