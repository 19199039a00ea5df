using Bulwark.S3k.Capabilities;

namespace Bulwark.S3k.Kernel;

/// <summary>What --trace-caps, --trace-syscalls and --stats show: every capability operation with the
/// table slots it touched (pid:index), every system call with its result, and counters.</summary>
public sealed class KernelTrace(CapTable table)
{
    public TextWriter? Caps { get; set; }
    public TextWriter? Syscalls { get; set; }

    public long[] SyscallCounts { get; } = new long[25];
    public long InvalidSyscalls { get; private set; }
    public Dictionary<Err, long> ErrorCounts { get; } = [];
    public long IpcMessages { get; private set; }
    public long IpcCapabilities { get; private set; }
    public long Revocations { get; private set; }
    public long RevokeSteps { get; private set; }
    public long Preemptions { get; private set; }
    public long Exceptions { get; private set; }

    private string Slot(int c) => $"{table.Pid(c)}:{table.Index(c)}";

    public void Derive(int src, int dst, Cap cap) => Caps?.WriteLine($"s3k: derive {Slot(src)} -> {Slot(dst)} {cap}");
    public void Move(int src, int dst, Cap cap) => Caps?.WriteLine($"s3k: move {Slot(src)} -> {Slot(dst)} {cap}");
    public void Delete(int c, Cap cap) => Caps?.WriteLine($"s3k: delete {Slot(c)} {cap}");

    public void RevokeStep(int parent, int child, Cap cap)
    {
        RevokeSteps++;
        Caps?.WriteLine($"s3k: revoke {Slot(parent)} deletes {Slot(child)} {cap}");
    }

    public void Revoked(int parent, Err result)
    {
        Revocations++;
        Caps?.WriteLine($"s3k: revoke {Slot(parent)} {(result == Err.Preempted ? "preempted" : "done")}: {table.Cap(parent)}");
    }

    public void IpcTransfer(int src, int dst, Cap cap)
    {
        IpcCapabilities++;
        Caps?.WriteLine($"s3k: ipc moves {Slot(src)} -> {Slot(dst)} {cap}");
    }

    public void IpcMessage() => IpcMessages++;

    public void Syscall(int pid, ulong number, Err? result)
    {
        if (number < (ulong)SyscallCounts.Length) SyscallCounts[number]++;
        else InvalidSyscalls++;
        if (result is { } err)
        {
            ErrorCounts[err] = ErrorCounts.GetValueOrDefault(err) + 1;
            if (err == Err.Preempted) Preemptions++;
        }
    }

    public void SyscallLine(int pid, ulong number, Err? result, string args)
    {
        Syscalls?.WriteLine($"s3k: pid {pid} {Bulwark.S3k.Syscalls.SyscallNames.Name(number)}({args}) = {(result is { } e ? e.ToString() : number == 3 ? "(no result)" : "(not made: the hart's time was up)")}");
    }

    public void Exception() => Exceptions++;
}
