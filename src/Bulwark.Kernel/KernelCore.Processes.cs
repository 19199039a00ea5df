using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel;

/// <summary>Every process that has not been reaped, by pid (for /proc, kill and limits).</summary>
public sealed partial class KernelCore
{
    private readonly SortedDictionary<int, Process> _processes = [];

    public IEnumerable<Process> Processes => _processes.Values;

    public Process? FindProcess(int pid) => _processes.GetValueOrDefault(pid);

    /// <summary>The kernel-wide limit on tasks (Linux's threads-max), also every process's default RLIMIT_NPROC.</summary>
    public int MaxTasks => Options.MaxTasks > 0 ? Options.MaxTasks : (int)Math.Clamp(Options.MemoryBytes / (128 * 1024), 64, 1 << 22);

    /// <summary>Live threads of the whole run (tasks, as RLIMIT_NPROC and threads-max count them).</summary>
    public int TaskCount => _threads.Count;

    private void RegisterProcess(Process process) => _processes.TryAdd(process.Pid, process);

    /// <summary>A reaped zombie, or an orphan that exits (no one will reap it), leaves the table.</summary>
    public void ForgetProcess(Process process) => _processes.Remove(process.Pid);
}
