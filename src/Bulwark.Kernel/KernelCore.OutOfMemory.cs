using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel;

/// <summary>What happens when guest memory runs out: as Linux's OOM killer, the kernel kills a process with
/// SIGKILL and the run goes on; its parent sees the signal in wait4. The victim is the process that needed the
/// page (Linux picks by badness, which for one hog is the same process), so the choice is deterministic.</summary>
public sealed partial class KernelCore
{
    /// <summary>A thread whose page fault found no free frame; its access traps next and <see cref="HandleTrap"/>
    /// kills it here.</summary>
    private GuestThread? _outOfMemory;

    private void KillForMemory(GuestThread thread)
    {
        var process = thread.Process;
        Stats.OutOfMemoryKills++;
        // Linux logs its kill in the kernel log; the host's stderr is this kernel's log.
        TraceLine($"bulwark: out of memory: killed process {process.Pid} ({process.Comm})");
        KillProcess(process, Signal.SIGKILL, $"SIGKILL (out of memory, --memory {Options.MemoryBytes >> 20}M) at pc=0x{thread.Registers.Pc:x}");
    }
}
