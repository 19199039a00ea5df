using Bulwark.S3k.Kernel;

namespace Bulwark.S3k.Processes;

/// <summary>The processes and the state transitions of proc.c. A process is BUSY while a hart runs it
/// (acquire/release), BLOCKED while it waits for IPC, SUSPENDED by a monitor. Only process 0 starts
/// runnable; the others wait suspended for a monitor to set them up and resume them.</summary>
public sealed class ProcessTable
{
    private readonly Process[] _procs;
    private readonly IKernelTimer _timer;

    public ProcessTable(S3kConfig config, IKernelTimer timer)
    {
        _timer = timer;
        _procs = new Process[config.ProcCount];
        for (int i = 0; i < _procs.Length; i++) _procs[i] = new Process(i, config.PmpCount) { State = ProcState.Suspended };
        _procs[0].State = 0;
        _procs[0][Reg.Pc] = config.PayloadAddress;
    }

    public int Count => _procs.Length;

    public Process this[int pid] => _procs[pid];

    public IReadOnlyList<Process> All => _procs;

    /// <summary>proc_get.</summary>
    public Process Get(ulong pid) => pid < (ulong)_procs.Length ? _procs[pid] : throw new KernelAssertion("src/proc.c", 25);

    /// <summary>proc_acquire: takes a process to run it, if it is neither running nor suspended and its
    /// timeout has passed (a blocked process whose timeout passes is taken too: its call timed out).</summary>
    public bool Acquire(Process p)
    {
        if ((p.State & (ProcState.Busy | ProcState.Suspended)) != 0) return false;
        if (_timer.Time < p.Timeout) return false;
        p.State = ProcState.Busy;
        return true;
    }

    /// <summary>proc_release: the hart leaves the process.</summary>
    public void Release(Process p)
    {
        if ((p.State & ProcState.Busy) == 0) throw new KernelAssertion("src/proc.c", 60);
        p.State &= ~ProcState.Busy;
    }

    /// <summary>proc_suspend: a blocked process loses its wait (its call returns SUSPENDED); a running one
    /// runs on until it leaves the hart.</summary>
    public void Suspend(Process p)
    {
        ulong prev = p.State;
        p.State |= ProcState.Suspended;
        if ((prev & ProcState.Blocked) != 0)
        {
            p.State = ProcState.Suspended;
            p[Reg.T0] = (ulong)Err.Suspended;
        }
    }

    /// <summary>proc_resume: a process that was only suspended may run at once.</summary>
    public void Resume(Process p)
    {
        if (p.State == ProcState.Suspended) p.Timeout = 0;
        p.State &= ~ProcState.Suspended;
    }

    /// <summary>proc_ipc_wait: the running process waits on a channel (still BUSY until its hart leaves it).</summary>
    public void IpcWait(Process p, ushort chan)
    {
        if (p.State != ProcState.Busy) throw new KernelAssertion("src/proc.c", 87);
        p.State = ProcState.Waiting(chan) | ProcState.Busy;
    }

    /// <summary>proc_ipc_acquire: takes a process waiting on exactly this channel, before its timeout.</summary>
    public bool IpcAcquire(Process p, ushort chan)
    {
        if (p.State != ProcState.Waiting(chan)) return false;
        if (_timer.Time >= p.Timeout) return false;
        p.State = ProcState.Busy;
        return true;
    }

    public static bool IsSuspended(Process p) => p.State == ProcState.Suspended;

    public static bool PmpAvailable(Process p, int slot) => p.PmpCfg[slot] == 0;

    /// <summary>proc_pmp_load: a NAPOT entry with the capability's permissions.</summary>
    public static void PmpLoad(Process p, int slot, byte rwx, ulong addr)
    {
        p.PmpCfg[slot] = (byte)(rwx | 0x18);
        p.PmpAddr[slot] = addr;
    }

    public static void PmpUnload(Process p, int slot) => p.PmpCfg[slot] = 0;
}
