namespace Bulwark.Kernel.Tracing;

/// <summary>Signal numbers, sets and siginfo codes as strace names them.</summary>
internal static class SignalText
{
    /// <summary>"SIGINT"; real-time signals as SIGRTMIN and SIGRT_n (strace counts from the kernel's SIGRTMIN, 32).</summary>
    public static string Name(long signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        16 => "SIGSTKFLT",
        17 => "SIGCHLD",
        18 => "SIGCONT",
        19 => "SIGSTOP",
        20 => "SIGTSTP",
        21 => "SIGTTIN",
        22 => "SIGTTOU",
        23 => "SIGURG",
        24 => "SIGXCPU",
        25 => "SIGXFSZ",
        26 => "SIGVTALRM",
        27 => "SIGPROF",
        28 => "SIGWINCH",
        29 => "SIGIO",
        30 => "SIGPWR",
        31 => "SIGSYS",
        32 => "SIGRTMIN",
        >= 33 and <= 64 => $"SIGRT_{signal - 32}",
        _ => signal.ToString(),
    };

    /// <summary>A 64-bit sigset: `[INT TERM]`, or its complement `~[RTMIN RT_1]` when that is shorter, as strace does.</summary>
    public static string Set(ulong set)
    {
        bool complement = ulong.PopCount(set) > 32;
        if (complement) set = ~set;
        var names = new List<string>();
        for (int signal = 1; signal <= 64; signal++)
            if ((set & (1UL << (signal - 1))) != 0) names.Add(Name(signal)[3..]);
        return (complement ? "~[" : "[") + string.Join(' ', names) + "]";
    }

    public static string How(long how) => how switch
    {
        0 => "SIG_BLOCK",
        1 => "SIG_UNBLOCK",
        2 => "SIG_SETMASK",
        _ => how.ToString(),
    };

    public static string Handler(ulong handler) => handler switch
    {
        0 => "SIG_DFL",
        1 => "SIG_IGN",
        _ => $"0x{handler:x}",
    };

    public static string ActionFlags(ulong flags) => TraceText.Flags(flags,
    [
        (0x04000000, "SA_RESTORER"), (0x08000000, "SA_ONSTACK"), (0x10000000, "SA_RESTART"), (0x40000000, "SA_NODEFER"),
        (0x80000000, "SA_RESETHAND"), (4, "SA_SIGINFO"), (1, "SA_NOCLDSTOP"), (2, "SA_NOCLDWAIT"),
    ]);

    /// <summary>si_code by the signal's family: fault codes for synchronous signals, the generic SI_* otherwise.</summary>
    public static string Code(int signal, int code) => (signal, code) switch
    {
        (_, 0) => "SI_USER",
        (_, 0x80) => "SI_KERNEL",
        (_, -1) => "SI_QUEUE",
        (_, -2) => "SI_TIMER",
        (_, -6) => "SI_TKILL",
        (11, 1) => "SEGV_MAPERR",
        (11, 2) => "SEGV_ACCERR",
        (7, 1) => "BUS_ADRALN",
        (7, 2) => "BUS_ADRERR",
        (4, 1) => "ILL_ILLOPC",
        (5, 1) => "TRAP_BRKPT",
        (8, 1) => "FPE_INTDIV",
        (17, 1) => "CLD_EXITED",
        (17, 2) => "CLD_KILLED",
        _ => $"0x{code:x}",
    };

    /// <summary>The siginfo the kernel delivers, in strace's `{si_signo=..., si_code=..., ...}` form:
    /// the fault address for synchronous faults, sender pid and uid for kill and tkill.</summary>
    public static string Info(int signal, int code, ulong address, int pid, uint uid)
    {
        string head = $"{{si_signo={Name(signal)}, si_code={Code(signal, code)}";
        if (code > 0 && code != 0x80 && signal is 4 or 5 or 7 or 8 or 11) return $"{head}, si_addr={TraceText.Pointer(address)}}}";
        if (code is 0 or -6) return $"{head}, si_pid={pid}, si_uid={uid}}}";
        return head + "}";
    }
}
