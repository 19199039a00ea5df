using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel;

/// <summary>Sending, delivering and dying of signals.</summary>
public sealed partial class KernelCore
{
    public FutexTable Futexes { get; } = new();

    public bool HasDeliverableSignal(GuestThread thread) => (thread.PendingSignals & ~thread.SignalMask) != 0;

    /// <summary>The pending, unblocked signal delivered next (the lowest number), or 0 if there is none.</summary>
    private static int NextDeliverableSignal(GuestThread thread)
    {
        ulong deliverable = thread.PendingSignals & ~thread.SignalMask;
        return deliverable == 0 ? 0 : System.Numerics.BitOperations.TrailingZeroCount(deliverable) + 1;
    }

    public const int SiUser = 0, SiTkill = -6, SiKernel = 0x80;

    public void SendSignal(GuestThread thread, int signal, int code = SiKernel)
    {
        var action = thread.Process.SignalActions[signal];
        if (action.Handler == SignalAction.Ignore || (action.Handler == SignalAction.Default && Signal.IgnoredByDefault(signal)))
            return;
        thread.PendingSignals |= Signal.Bit(signal);
        thread.PendingCodes[signal] = code;
        if (thread.State == RunState.Blocked && HasDeliverableSignal(thread)) Wake(thread, WakeReason.Interrupted);
    }

    public void SendSignal(Process process, int signal, int code = SiKernel)
    {
        var live = process.Threads.Where(t => t.State != RunState.Dead).ToList();
        if (live.Count == 0) return;
        var target = live.FirstOrDefault(t => (t.SignalMask & Signal.Bit(signal)) == 0) ?? live[0];
        SendSignal(target, signal, code);
    }

    /// <summary>Runs on every return to user mode: acts on the first deliverable pending signal.</summary>
    public void DeliverPendingSignals(GuestThread thread)
    {
        int signal;
        while (thread.State != RunState.Dead && (signal = NextDeliverableSignal(thread)) != 0)
        {
            thread.PendingSignals &= ~Signal.Bit(signal);
            var action = thread.Process.SignalActions[signal];
            if (action.Handler == SignalAction.Ignore) continue;
            if (action.Handler == SignalAction.Default)
            {
                if (Signal.IgnoredByDefault(signal)) continue;
                // strace never sees SIGKILL delivered, only the death it causes.
                if (signal != Signal.SIGKILL) Tracer?.SignalDelivered(thread, signal, thread.PendingCodes[signal], 0);
                KillProcess(thread.Process, signal, $"{Signal.Name(signal)} at pc=0x{thread.Registers.Pc:x}");
                return;
            }
            Tracer?.SignalDelivered(thread, signal, thread.PendingCodes[signal], 0);
            SignalFrame.Push(this, thread, signal, thread.PendingCodes[signal], action, faultAddress: 0);
            return;
        }
    }

    /// <summary>A synchronous fault: runs the handler if one is installed and unblocked, else kills.</summary>
    internal void DeliverFault(GuestThread thread, int signal, int code, ulong address, string description)
    {
        Tracer?.SignalDelivered(thread, signal, code, address);
        var action = thread.Process.SignalActions[signal];
        bool handled = action.Handler is not (SignalAction.Default or SignalAction.Ignore)
            && (thread.SignalMask & Signal.Bit(signal)) == 0;
        if (handled && SignalFrame.Push(this, thread, signal, code, action, address)) return;
        KillProcess(thread.Process, signal, description);
    }

    /// <summary>The process dies of <paramref name="signal"/>.</summary>
    public void KillProcess(Process process, int signal, string description)
    {
        ExitProcess(process, signal & 0x7f, $"guest pid {process.Pid} killed by {description}", 128 + signal);
    }

    /// <summary>exit_group: every thread ends, the process becomes a zombie for its parent.</summary>
    public void ExitProcess(Process process, int waitStatus, string? message, int runStatus)
    {
        if (process.Exited) return;
        foreach (var t in process.Threads.ToArray()) EndThread(t);
        Tracer?.ProcessExited(process, waitStatus);
        process.Exited = true;
        BecomeZombie(process);
        process.WaitStatus = waitStatus;
        ReleaseVforkParent(process);
        foreach (var fd in process.Files.Descriptors.ToArray()) process.Files.Remove(fd)!.Close(this);
        Shared.OnExit(process);
        process.AddressSpace.Destroy();
        Machine.ShootDownTlbs();
        foreach (var child in process.Children)
        {
            child.Parent = null;
            if (child.Exited) ForgetProcess(child);
        }
        if (process.Parent is null && process != InitProcess) ForgetProcess(process);
        if (process.Parent is { } parent)
        {
            WakeAll(parent.ChildWaiters);
            SendSignal(parent, Signal.SIGCHLD);
        }
        if (process == InitProcess) FinishRun(runStatus, message);
    }

    /// <summary>exit: one thread ends; clear_child_tid is written and woken as pthread_join expects.</summary>
    public void ExitThread(GuestThread thread, int code)
    {
        var process = thread.Process;
        if (process.Threads.Count(t => t.State != RunState.Dead) == 1)
        {
            ExitProcess(process, (code & 0xff) << 8, null, code & 0xff);
            return;
        }
        if (thread.ClearChildTid != 0)
        {
            var space = process.AddressSpace;
            if (space.WriteBytes(thread.ClearChildTid, new byte[4]) && space.FutexKeyFor(thread.ClearChildTid) is { } key
                && Futexes.Existing(key) is { } queue)
                WakeSome(queue, 1);
        }
        EndThread(thread);
    }

    private void EndThread(GuestThread thread)
    {
        if (thread.State == RunState.Dead) return;
        Tracer?.ThreadEnded(thread);
        if (thread.State == RunState.Blocked)
        {
            thread.WaitingOn?.Remove(thread);
            thread.WaitingOn = null;
            _sleepers.Remove(thread);
        }
        RemoveFromHart(thread);
        if (thread.InSyscall) UserAccess.SyscallEnded(thread);
        thread.State = RunState.Dead;
        thread.Continuation = null;
        _threads.Remove(thread.Tid);
        if (_ready.Contains(thread))
        {
            var rest = _ready.Where(t => t != thread).ToArray();
            _ready.Clear();
            foreach (var t in rest) _ready.Enqueue(t);
        }
    }
}
