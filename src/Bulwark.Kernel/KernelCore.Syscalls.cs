using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Syscalls;
using Bulwark.Machine.Memory;

namespace Bulwark.Kernel;

/// <summary>System call entry and exit. A handler is an async method: when it blocks or is preempted
/// its continuation waits in the thread, and the call finishes whenever the scheduler resumes it.</summary>
public sealed partial class KernelCore
{
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _handlerFailure;

    private void StartSyscall(GuestThread thread)
    {
        thread.InSyscall = true;
        Stats.Syscalls++;
        _ = RunSyscall(thread);
    }

    private async ValueTask RunSyscall(GuestThread thread)
    {
        int number = (int)thread.Registers.X[17];
        var x = thread.Registers.X;
        ulong firstArgument = x[10];
        var tracer = Tracer;
        tracer?.Enter(thread, number, SyscallNames.Describe(_syscalls, number));
        long result = 0;
        bool outOfMemory = false;
        UserAccess.SyscallEntered(thread, number);
        try
        {
            if (_syscalls.TryGet(number, out string name, out var handler))
                result = await handler(new SyscallContext(this, thread, number));
            else
            {
                Stats.UnknownSyscalls[name] = Stats.UnknownSyscalls.GetValueOrDefault(name) + 1;
                if (Options.Strict)
                    throw new KernelPanicException($"unimplemented syscall {number} ({name}) at pc=0x{thread.Registers.Pc:x} (--strict)", 126);
                result = -Errno.ENOSYS;
            }
        }
        catch (FramesExhaustedException)
        {
            outOfMemory = true;
        }
        catch (Exception e)
        {
            // The handler may have been resumed from a continuation, far from Schedule's stack:
            // hand the exception back to the scheduler loop instead of losing it in the ValueTask.
            _handlerFailure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            return;
        }
        finally
        {
            UserAccess.SyscallEnded(thread);
        }
        if (outOfMemory)
        {
            KillForMemory(thread); // the tracer shows the call unfinished, then the kill
            return;
        }
        tracer?.Exit(thread, result, result == -Errno.EINTR && RestartsAfterHandler(thread, number));
        try
        {
            FinishSyscall(thread, result, number, firstArgument);
        }
        catch (FramesExhaustedException)
        {
            KillForMemory(thread); // no page for the signal frame of the call's return
        }
    }

    /// <summary>Sleeps report EINTR whatever the handler's flags (as POSIX asks of nanosleep); other
    /// interrupted calls restart when the signal about to be delivered has a handler with SA_RESTART.</summary>
    private bool RestartsAfterHandler(GuestThread thread, int number)
    {
        int signal = NextDeliverableSignal(thread);
        if (Syscalls.WaitingCalls.NeverRestart(number) || signal == 0) return false;
        var action = thread.Process.SignalActions[signal];
        return action.Handler is not (Signals.SignalAction.Default or Signals.SignalAction.Ignore)
            && (action.Flags & Signals.SignalAction.SaRestart) != 0;
    }

    /// <summary>Writes a line on stderr after what the guest wrote to stdout so far, so that both keep
    /// their order when they go to one terminal or file.</summary>
    internal void TraceLine(string line)
    {
        Stdout.Flush();
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        Options.Stderr.Write(bytes, 0, bytes.Length);
    }

    private void FinishSyscall(GuestThread thread, long result, int number, ulong firstArgument)
    {
        thread.InSyscall = false;
        if (thread.State == RunState.Dead) return;
        if (result == -Errno.EINTR && RestartsAfterHandler(thread, number))
        {
            // SA_RESTART: the handler runs with the saved pc on the ecall, which then runs again.
            thread.Registers.X[10] = firstArgument;
        }
        else if (result != SyscallResult.NoReturnValue)
        {
            thread.Registers.X[10] = (ulong)result;
            thread.Registers.Pc += 4;
        }
        DeliverPendingSignals(thread);
        // No handler ran on this return: the call's temporary signal mask ends here.
        if (thread.SavedSignalMask is { } saved)
        {
            thread.SignalMask = saved;
            thread.SavedSignalMask = null;
        }
        if (thread.PenaltyUntilNs > NowNs && thread.State == RunState.OnHart) ServePenalty(thread);
        if (thread.YieldRequested)
        {
            thread.YieldRequested = false;
            if (_ready.Count > 0 && thread.State == RunState.OnHart)
            {
                RemoveFromHart(thread);
                MakeReady(thread);
            }
        }
    }
}
