using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Processes;

/// <summary>A guest process: an address space, a file table, signal actions and its threads.</summary>
public sealed class Process(int pid, Process? parent, AddressSpace addressSpace, FileTable files)
{
    public int Pid { get; } = pid;
    public Process? Parent { get; set; } = parent;
    public AddressSpace AddressSpace { get; } = addressSpace;
    public FileTable Files { get; } = files;
    public SignalActions SignalActions { get; init; } = new();
    public List<GuestThread> Threads { get; } = [];
    public List<Process> Children { get; } = [];
    public bool Exited { get; set; }
    /// <summary>The wait4 status word (exit code in bits 8..15, or the killing signal in bits 0..6).</summary>
    public int WaitStatus { get; set; }
    public bool Reaped { get; set; }
    /// <summary>Parents blocked in wait4 sleep here.</summary>
    public WaitQueue ChildWaiters { get; } = new();
    public string WorkingDirectory { get; set; } = "/";
    /// <summary>The user id (getuid); brute-force throttling and blame count per user, not per process.</summary>
    public uint Uid { get; set; } = Syscalls.InfoSyscalls.Uid;

    public override string ToString() => $"pid {Pid}";
}
