using System.Runtime.CompilerServices;
using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel;

/// <summary>How kernel code waits: a blocked thread gives up its hart and keeps its continuation; a
/// preempted thread keeps its hart and lets the scheduler run someone else first.</summary>
public sealed partial class KernelCore
{
    /// <summary>Blocks <paramref name="thread"/> on <paramref name="queue"/> until woken, the virtual
    /// <paramref name="deadlineNs"/> passes, or a signal arrives.</summary>
    public BlockAwaitable Block(GuestThread thread, WaitQueue? queue, ulong deadlineNs = ulong.MaxValue, uint tag = uint.MaxValue) =>
        new(this, thread, queue, deadlineNs, tag);

    /// <summary>A point where a system call may be preempted (before each user-memory access).</summary>
    public PreemptAwaitable PreemptionPoint(GuestThread thread) => new(this, thread);

    /// <summary>Brute-force throttling: keeps <paramref name="thread"/> off the harts until the virtual
    /// <paramref name="untilNs"/>. A signal does not cut the delay short; a thread inside a system call
    /// (running or blocked) serves it when the call returns.</summary>
    public void Penalize(GuestThread thread, ulong untilNs)
    {
        if (thread.State == RunState.Dead || untilNs <= NowNs) return;
        if (thread.InSyscall || thread.Continuation != null || thread.State == RunState.Blocked)
        {
            thread.PenaltyUntilNs = Math.Max(thread.PenaltyUntilNs, untilNs);
            return;
        }
        if (thread.State == RunState.Ready)
        {
            var rest = _ready.Where(t => t != thread).ToArray();
            _ready.Clear();
            foreach (var t in rest) _ready.Enqueue(t);
        }
        thread.PenaltyUntilNs = untilNs;
        ServePenalty(thread);
    }

    private void ServePenalty(GuestThread thread)
    {
        ulong until = thread.PenaltyUntilNs;
        if (until <= NowNs)
        {
            thread.PenaltyUntilNs = 0;
            return;
        }
        Suspend(thread, () => ServePenalty(thread), null, until, uint.MaxValue);
    }

    public void Wake(GuestThread thread, WakeReason reason)
    {
        if (thread.State != RunState.Blocked) return;
        thread.WaitingOn?.Remove(thread);
        thread.WaitingOn = null;
        if (thread.WakeDeadline != ulong.MaxValue) _sleepers.Remove(thread);
        thread.WakeDeadline = ulong.MaxValue;
        thread.WakeReason = reason;
        MakeReady(thread);
    }

    public void WakeAll(WaitQueue queue)
    {
        while (queue.Count > 0) Wake(queue.Waiters[0], WakeReason.Woken);
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters whose tag intersects <paramref name="mask"/>.</summary>
    public int WakeSome(WaitQueue queue, int count, uint mask = uint.MaxValue)
    {
        int woken = 0;
        foreach (var waiter in queue.Waiters.ToArray())
        {
            if (woken >= count) break;
            if ((queue.TagOf(waiter) & mask) == 0) continue;
            Wake(waiter, WakeReason.Woken);
            woken++;
        }
        return woken;
    }

    private void WakeExpiredSleepers()
    {
        if (_sleepers.Count == 0) return;
        ulong now = NowNs;
        foreach (var t in _sleepers.Where(s => s.WakeDeadline <= now).OrderBy(s => s.WakeDeadline).ThenBy(s => s.Tid).ToArray())
            Wake(t, WakeReason.TimedOut);
    }

    /// <summary>When every thread sleeps, virtual time jumps to the earliest deadline.</summary>
    private bool AdvanceToNextDeadline()
    {
        if (_sleepers.Count == 0) return false;
        Machine.Clock.AdvanceTo(_sleepers.Min(s => s.WakeDeadline));
        WakeExpiredSleepers();
        return true;
    }

    private bool ShouldPreempt(GuestThread thread)
    {
        if (BusyHarts() < 2) return false;
        bool preempt = _strategy.PreemptInKernel(thread.Tid);
        if (preempt) Stats.KernelPreemptions++;
        return preempt;
    }

    private void Suspend(GuestThread thread, Action continuation, WaitQueue? queue, ulong deadline, uint tag)
    {
        AssertOwner();
        thread.Continuation = continuation;
        RemoveFromHart(thread);
        thread.State = RunState.Blocked;
        thread.WakeReason = WakeReason.Woken;
        thread.WaitingOn = queue;
        queue?.Add(thread, tag);
        thread.WakeDeadline = deadline;
        if (deadline != ulong.MaxValue) _sleepers.Add(thread);
    }

    public readonly struct BlockAwaitable(KernelCore kernel, GuestThread thread, WaitQueue? queue, ulong deadline, uint tag) : ICriticalNotifyCompletion
    {
        public BlockAwaitable GetAwaiter() => this;

        /// <summary>A pending signal or a past deadline ends the wait before it starts.</summary>
        public bool IsCompleted
        {
            get
            {
                if (kernel.HasDeliverableSignal(thread)) thread.WakeReason = WakeReason.Interrupted;
                else if (deadline <= kernel.NowNs) thread.WakeReason = WakeReason.TimedOut;
                else return false;
                return true;
            }
        }

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation) => kernel.Suspend(thread, continuation, queue, deadline, tag);

        /// <summary>Set by <see cref="Wake"/> or by <see cref="IsCompleted"/>.</summary>
        public WakeReason GetResult() => thread.WakeReason;
    }

    public readonly struct PreemptAwaitable(KernelCore kernel, GuestThread thread) : ICriticalNotifyCompletion
    {
        public PreemptAwaitable GetAwaiter() => this;

        public bool IsCompleted => !kernel.ShouldPreempt(thread);

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
        {
            kernel.AssertOwner();
            thread.Continuation = continuation;
        }

        public void GetResult() { }
    }
}
