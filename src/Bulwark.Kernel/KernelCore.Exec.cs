using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel;

/// <summary>The point of no return of execve: the process keeps its pid, descriptors (but close-on-exec
/// ones), ignored signals, mask and pending signals, and loses its other threads, memory and handlers.</summary>
public sealed partial class KernelCore
{
    public void ReplaceImage(GuestThread thread, AddressSpace space, ulong entry, ulong sp)
    {
        var process = thread.Process;
        foreach (var other in process.Threads.ToArray())
            if (other != thread) EndThread(other);
        process.Threads.RemoveAll(t => t.State == RunState.Dead);
        if (thread.Tid != process.Pid)
        {
            // The exec'ing thread takes the leader's id, as de_thread does.
            _threads.Remove(thread.Tid);
            thread.Tid = process.Pid;
            _threads[thread.Tid] = thread;
        }
        // The call's protected snapshots belong to the old memory.
        UserAccess.SyscallEnded(thread);
        UserAccess.SyscallEntered(thread, 221);
        var old = process.AddressSpace;
        process.AddressSpace = space;
        old.Destroy();
        Machine.ShootDownTlbs();
        if (thread.Hart is { } hart) hart.Translator = space.PageTable;

        for (int s = 1; s <= SignalActions.Count; s++)
            if (process.SignalActions[s].Handler != SignalAction.Ignore) process.SignalActions[s] = default;
        thread.SavedSignalMask = null;
        thread.AltStack = null;
        thread.ClearChildTid = 0;
        thread.RobustList = 0;
        foreach (int fd in process.Files.Descriptors.ToArray())
            if (process.Files.GetCloseOnExec(fd)) process.Files.Remove(fd)!.Close(this);

        var regs = thread.Registers;
        Array.Clear(regs.X);
        Array.Clear(regs.F);
        regs.Fcsr = 0;
        regs.Pc = entry;
        regs.X[2] = sp;
        ReleaseVforkParent(process);
    }

    /// <summary>A vfork child that execs or exits lets its parent go on.</summary>
    public void ReleaseVforkParent(Process child)
    {
        if (child.VforkParent == null) return;
        child.VforkParent = null;
        WakeAll(child.VforkWaiters);
    }
}
