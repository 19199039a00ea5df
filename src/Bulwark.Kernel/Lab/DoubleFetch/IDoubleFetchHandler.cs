using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch;

/// <summary>One /dev/dfbench ioctl request: a faithful port of a real double-fetch bug. Handlers read
/// user memory only through <see cref="SyscallContext.User"/>, so every fetch is a preemption point
/// and goes through whatever protection the run uses.</summary>
public interface IDoubleFetchHandler
{
    /// <summary>The ioctl request number.</summary>
    uint Request { get; }
    /// <summary>Short name, e.g. DFB_SIZE_CHECK.</summary>
    string Name { get; }
    /// <summary>The real bug this ports, e.g. "CVE-2016-6480 (Linux aacraid ioctl_send_fib)".</summary>
    string Origin { get; }
    /// <summary>What is fetched twice, what is checked between, what the second fetch enables.</summary>
    string Pattern { get; }

    /// <summary>Runs the request; returns 0 or -errno. Memory-safety bugs surface as
    /// <see cref="KernelViolationException"/> from the <see cref="KernelHeap"/>.</summary>
    ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg);
}
