using Bulwark.Kernel.Processes;
using Bulwark.Kernel.UserAccess;

namespace Bulwark.Kernel.Syscalls;

/// <summary>One system call in progress: who made it, its arguments, and the user-access layer.</summary>
public sealed class SyscallContext(KernelCore kernel, GuestThread thread, int number)
{
    public KernelCore Kernel { get; } = kernel;
    public GuestThread Thread { get; } = thread;
    public Process Process => Thread.Process;
    public int Number { get; } = number;
    public UserMemory User { get; } = new(kernel, thread);

    public ulong Arg(int i) => Thread.Registers.X[10 + i];
    public int IntArg(int i) => (int)Thread.Registers.X[10 + i];
    public long LongArg(int i) => (long)Thread.Registers.X[10 + i];
}

/// <summary>A handler's return value, or this marker when the handler has already set the thread's
/// registers (rt_sigreturn, a successful exit) and a0 must not be overwritten.</summary>
public static class SyscallResult
{
    public const long NoReturnValue = long.MinValue;
}

public delegate ValueTask<long> SyscallHandler(SyscallContext context);
