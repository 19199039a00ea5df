using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel;

/// <summary>Every process that has not been reaped, by pid (for /proc, kill and limits).</summary>
public sealed partial class KernelCore
{
    private readonly SortedDictionary<int, Process> _processes = [];

    public IEnumerable<Process> Processes => _processes.Values;

    public Process? FindProcess(int pid) => _processes.GetValueOrDefault(pid);

    private int _zombies;

    /// <summary>The kernel-wide limit on tasks (Linux's threads-max, sized as Linux sizes it: one task per 128 KiB of
    /// memory, 8192 for 1 GiB); half of it is every process's default RLIMIT_NPROC, as Linux gives init.</summary>
    public int MaxTasks => (int)Math.Clamp(Options.MemoryBytes / (128 * 1024), 64, 1 << 22);

    /// <summary>Tasks as threads-max and RLIMIT_NPROC count them: live threads, and zombies until they are reaped
    /// (on Linux a zombie keeps its task until its parent waits for it).</summary>
    public int TaskCount => _threads.Count + _zombies;

    private void RegisterProcess(Process process) => _processes.TryAdd(process.Pid, process);

    /// <summary>A process that exits stays in the table as a zombie until <see cref="ForgetProcess"/>.</summary>
    private void BecomeZombie(Process process)
    {
        if (_processes.ContainsKey(process.Pid)) _zombies++;
    }

    /// <summary>A reaped zombie, or an orphan that exits (no one will reap it), leaves the table.</summary>
    public void ForgetProcess(Process process)
    {
        if (_processes.Remove(process.Pid) && process.Exited) _zombies--;
    }
}
