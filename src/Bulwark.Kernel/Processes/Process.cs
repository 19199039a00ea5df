using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Processes;

/// <summary>A guest process: an address space, a file table, signal actions and its threads.</summary>
public sealed class Process(int pid, Process? parent, AddressSpace addressSpace, FileTable files)
{
    public int Pid { get; } = pid;
    public Process? Parent { get; set; } = parent;
    /// <summary>Replaced by execve.</summary>
    public AddressSpace AddressSpace { get; set; } = addressSpace;
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
    /// <summary>The file mode creation mask (umask).</summary>
    public uint Umask { get; set; } = 0x12; // 022

    /// <summary>The path the program was started or exec'd from (/proc/PID/exe shows it).</summary>
    public string ExePath { get; set; } = "";
    /// <summary>The program's file; /proc/PID/exe leads to it even when it is not in the guest's tree.</summary>
    public Inode? Executable { get; set; }
    /// <summary>argv and envp of the program's start (/proc/PID/cmdline and environ).</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];
    public IReadOnlyList<string> EnvironmentStrings { get; set; } = [];
    /// <summary>The command name (/proc/PID/comm, prctl PR_SET_NAME): the program's file name, 15 bytes at most.</summary>
    public string Comm { get; set; } = "";
    /// <summary>Process group and session (setpgid, setsid; fork inherits them; the first process leads both).</summary>
    public int Pgid { get; set; } = pid;
    public int Sid { get; set; } = pid;
    /// <summary>getrlimit/setrlimit values (fork copies them).</summary>
    public ResourceLimits Limits { get; set; } = new(ResourceLimits.Infinity);
    /// <summary>Virtual nanoseconds its threads ran user code (getrusage, times), and its reaped children's.</summary>
    public ulong UserNs { get; set; }
    public ulong ChildrenUserNs { get; set; }
    /// <summary>A vfork parent's thread, blocked until this child execs or exits.</summary>
    public GuestThread? VforkParent { get; set; }
    public WaitQueue VforkWaiters { get; } = new();

    public override string ToString() => $"pid {Pid}";
}
