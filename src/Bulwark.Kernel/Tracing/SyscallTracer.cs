using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Syscalls;
using Process = Bulwark.Kernel.Processes.Process;

namespace Bulwark.Kernel.Tracing;

/// <summary>`--trace-syscalls`: strace's lines for every call, delivered signal and process end, on the
/// kernel's stderr. A call's line is written when it completes, whole, so it never mixes with other
/// lines. Only when something else must be written while a call is still open (another thread's line or
/// output, a signal) is the open call written first as strace does, `read(0,  <unfinished ...>`, and its
/// completion later as `<... read resumed>"x", 1) = 1`: the lines keep the order in which things happened.
/// Everything the trace reads of the guest goes through <see cref="GuestView"/>, which cannot change the run.</summary>
public sealed class SyscallTracer(KernelCore kernel)
{
    /// <summary>strace's column for " = result".</summary>
    private const int ResultColumn = 40;

    /// <summary>Calls entered and not yet written whole, in the order they were entered.</summary>
    private readonly List<OpenCall> _open = [];

    private sealed class OpenCall(GuestThread thread, string name, SyscallSignature signature, ulong[] raw, string?[] shown, int firstAfterCall)
    {
        public GuestThread Thread { get; } = thread;
        public string Name { get; } = name;
        public SyscallSignature Signature { get; } = signature;
        public ulong[] Raw { get; } = raw;
        /// <summary>Each argument's text; those shown after the call are filled in then.</summary>
        public string?[] Shown { get; } = shown;
        /// <summary>The first argument shown after the call, or the count when there is none.</summary>
        public int FirstAfterCall { get; } = firstAfterCall;
        /// <summary>Whether the `<unfinished ...>` half has been written.</summary>
        public bool Unfinished { get; set; }

        private string Join(int from, int to) => string.Join(", ", Shown[from..to].Where(s => s != null));

        /// <summary>`read(0, ` up to the first argument the call fills in.</summary>
        public string Opening()
        {
            string before = Join(0, FirstAfterCall);
            return FirstAfterCall < Shown.Length && before.Length > 0 ? $"{Name}({before}, " : $"{Name}({before}";
        }

        /// <summary>The call written whole, or its resumed half.</summary>
        public string Closing() => Unfinished
            ? $"<... {Name} resumed>{Join(FirstAfterCall, Shown.Length)})"
            : $"{Name}({Join(0, Shown.Length)})";
    }

    /// <summary>Whether the trace knows the arguments of call <paramref name="number"/> (else it shows six in hex).</summary>
    public static bool Decodes(int number) => SyscallSignatures.For(number) != null;

    public void Enter(GuestThread thread, int number, string name)
    {
        var signature = SyscallSignatures.For(number) ?? SyscallSignature.Unknown;
        var raw = new ulong[6];
        Array.Copy(thread.Registers.X, 10, raw, 0, 6);
        var memory = View(thread);
        var shown = new string?[signature.Args.Length];
        int firstAfterCall = shown.Length;
        for (int i = 0; i < shown.Length; i++)
        {
            var arg = signature.Args[i];
            if (ArgumentText.AfterCall(arg, raw)) firstAfterCall = Math.Min(firstAfterCall, i);
            else shown[i] = ArgumentText.Format(arg, raw, 0, thread, memory);
        }
        _open.Add(new OpenCall(thread, name, signature, raw, shown, firstAfterCall));
    }

    /// <summary>The call of <paramref name="thread"/> returns <paramref name="result"/>; <paramref name="restarting"/>
    /// when it was interrupted and restarts after the signal handler (strace's ERESTARTSYS).</summary>
    public void Exit(GuestThread thread, long result, bool restarting)
    {
        if (Take(thread) is not { } call) return;
        var memory = View(thread);
        for (int i = call.FirstAfterCall; i < call.Shown.Length; i++)
            if (ArgumentText.AfterCall(call.Signature.Args[i], call.Raw))
                call.Shown[i] = ArgumentText.Format(call.Signature.Args[i], call.Raw, result, thread, memory);
        // A handler that set the registers itself (rt_sigreturn, execve) returns what a0 now holds, which
        // strace reads like any result (an interrupted call's -EINTR restored by rt_sigreturn is an error).
        if (result == SyscallResult.NoReturnValue) result = (long)thread.Registers.X[10];
        string text = restarting ? "? ERESTARTSYS (To be restarted if SA_RESTART is set)"
            : ArgumentText.Result(call.Signature, call.Raw, result, memory);
        Write(thread, WithResult(Prefix(thread) + call.Closing(), text));
    }

    /// <summary>The thread ends inside a call (exit, exit_group, or killed while blocked): it never returns.</summary>
    public void ThreadEnded(GuestThread thread)
    {
        if (Take(thread) is not { } call) return;
        string head = call.Unfinished ? $"<... {call.Name} resumed>)"
            : call.FirstAfterCall < call.Shown.Length ? call.Opening() + " <unfinished ...>)" : call.Closing();
        Write(thread, WithResult(Prefix(thread) + head, "?"));
    }

    public void SignalDelivered(GuestThread thread, int signal, int code, ulong address) =>
        Write(thread, $"{Prefix(thread)}--- {SignalText.Name(signal)} {SignalText.Info(signal, code, address, thread.Process.Pid, thread.Process.Uid)} ---");

    public void ProcessExited(Process process, int waitStatus)
    {
        int signal = waitStatus & 0x7f;
        string how = signal == 0 ? $"exited with {(waitStatus >> 8) & 0xff}" : $"killed by {SignalText.Name(signal)}";
        Write(null, $"[pid {process.Pid}] +++ {how} +++");
    }

    /// <summary>The guest of <paramref name="writer"/> is about to write to the host's stdout or stderr:
    /// other threads' open calls are written first, since they were entered before this output.</summary>
    public void BeforeGuestOutput(GuestThread writer) => CloseOthers(writer);

    private OpenCall? Take(GuestThread thread)
    {
        int index = _open.FindIndex(c => c.Thread == thread);
        if (index < 0) return null;
        var call = _open[index];
        _open.RemoveAt(index);
        return call;
    }

    private GuestView View(GuestThread thread) => new(thread.Process.AddressSpace);

    private static string Prefix(GuestThread thread) => $"[pid {thread.Tid}] ";

    private static string WithResult(string head, string result) =>
        head.Length < ResultColumn ? head.PadRight(ResultColumn) + "= " + result : head + " = " + result;

    /// <summary>Writes the opening half of every open call but <paramref name="except"/>'s not written yet.</summary>
    private void CloseOthers(GuestThread? except)
    {
        foreach (var call in _open)
        {
            if (call.Thread == except || call.Unfinished) continue;
            call.Unfinished = true;
            kernel.TraceLine(Prefix(call.Thread) + call.Opening() + " <unfinished ...>");
        }
    }

    private void Write(GuestThread? thread, string line)
    {
        CloseOthers(thread);
        kernel.TraceLine(line);
    }
}
