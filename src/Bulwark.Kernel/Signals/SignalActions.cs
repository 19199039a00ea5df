namespace Bulwark.Kernel.Signals;

/// <summary>One rt_sigaction entry as the riscv64 kernel ABI lays it out (struct sigaction without
/// sa_restorer: handler, flags, mask).</summary>
public readonly record struct SignalAction(ulong Handler, ulong Flags, ulong Mask)
{
    public const ulong Default = 0, Ignore = 1;
    public const ulong SaSiginfo = 4, SaOnStack = 0x08000000, SaRestart = 0x10000000, SaNodefer = 0x40000000, SaResethand = 0x80000000;
}

/// <summary>The signal actions of a process (shared by its threads).</summary>
public sealed class SignalActions
{
    public const int Count = 64;
    private readonly SignalAction[] _actions = new SignalAction[Count + 1];

    public SignalAction this[int signal]
    {
        get => _actions[signal];
        set => _actions[signal] = value;
    }

    public SignalActions Clone()
    {
        var copy = new SignalActions();
        Array.Copy(_actions, copy._actions, _actions.Length);
        return copy;
    }
}

public static class Signal
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
        SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17,
        SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGURG = 23, SIGWINCH = 28;

    public static ulong Bit(int signal) => 1UL << (signal - 1);

    /// <summary>Signals whose default action is to do nothing.</summary>
    public static bool IgnoredByDefault(int signal) => signal is SIGCHLD or SIGURG or SIGWINCH or SIGCONT;

    public static string Name(int signal) => signal switch
    {
        SIGHUP => "SIGHUP",
        SIGINT => "SIGINT",
        SIGQUIT => "SIGQUIT",
        SIGILL => "SIGILL",
        SIGTRAP => "SIGTRAP",
        SIGABRT => "SIGABRT",
        SIGBUS => "SIGBUS",
        SIGFPE => "SIGFPE",
        SIGKILL => "SIGKILL",
        SIGUSR1 => "SIGUSR1",
        SIGSEGV => "SIGSEGV",
        SIGUSR2 => "SIGUSR2",
        SIGPIPE => "SIGPIPE",
        SIGALRM => "SIGALRM",
        SIGTERM => "SIGTERM",
        SIGCHLD => "SIGCHLD",
        _ => $"signal {signal}",
    };
}
