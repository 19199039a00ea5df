using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Signals;

/// <summary>A thread's alternate signal stack (sigaltstack): handlers installed with SA_ONSTACK run on it
/// unless the thread is already there.</summary>
public sealed record AlternateStack(ulong Sp, ulong Size, int Flags)
{
    public const int SsOnstack = 1, SsDisable = 2, SsAutodisarm = 1 << 31;
    /// <summary>MINSIGSTKSZ of riscv64 Linux.</summary>
    public const ulong MinSize = 2048;

    public bool Contains(ulong sp) => sp > Sp && sp - Sp <= Size;

    public static bool OnStack(GuestThread thread) => thread.AltStack is { } s && s.Contains(thread.Registers.X[2]);

    /// <summary>Where the frame for <paramref name="action"/> goes: below the current sp, or at the top of the
    /// alternate stack when the action asks for it and the thread is not on it already.</summary>
    public static ulong StackTopFor(GuestThread thread, SignalAction action)
    {
        ulong sp = thread.Registers.X[2];
        if ((action.Flags & SignalAction.SaOnStack) == 0 || thread.AltStack is not { } stack || stack.Contains(sp)) return sp;
        if ((stack.Flags & SsAutodisarm) != 0) thread.AltStack = null;
        return stack.Sp + stack.Size;
    }
}
