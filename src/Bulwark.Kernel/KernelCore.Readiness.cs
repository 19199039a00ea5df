using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel;

/// <summary>Waiting on many files (poll, select, epoll) without per-file subscriptions: every change of
/// a file's readiness wakes every poller, and each looks at its files again. Wake-ups happen only at
/// kernel actions of the deterministic schedule, so what a poller sees never depends on host timing.</summary>
public sealed partial class KernelCore
{
    /// <summary>Threads blocked in ppoll, pselect6 or epoll_pwait on at least one file.</summary>
    public WaitQueue ReadinessWaiters { get; } = new();

    /// <summary>Counts readiness changes; edge-triggered epoll items report again only after it moved.</summary>
    public long ReadinessGeneration { get; private set; }

    /// <summary>Some file may have become readable, writable, hung up or failed.</summary>
    public void ReadinessChanged()
    {
        ReadinessGeneration++;
        if (ReadinessWaiters.Count > 0) WakeAll(ReadinessWaiters);
    }
}
