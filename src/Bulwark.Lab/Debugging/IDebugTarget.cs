using Bulwark.Machine.Cpu;

namespace Bulwark.Lab.Debugging;

/// <summary>What a debugger needs from a running platform: its threads (for the Linux kernel, the guest's
/// tasks; for a board, its harts), their registers, and their memory as the thread sees it. Reading and
/// writing never fault anything in: a debugger that changed page tables or frames could change the run.</summary>
public interface IDebugTarget
{
    /// <summary>Live threads, by id, in a fixed order.</summary>
    IReadOnlyList<int> Threads { get; }

    /// <summary>The thread a hart runs now, or -1.</summary>
    int ThreadOn(Hart hart);

    /// <summary>The registers of a thread (null if it does not exist).</summary>
    HartState? Registers(int thread);

    /// <summary>Reads <paramref name="into"/>.Length bytes at <paramref name="address"/> as the thread
    /// sees them; false if any byte is not mapped (or not yet present) there.</summary>
    bool Read(int thread, ulong address, Span<byte> into);

    bool Write(int thread, ulong address, ReadOnlySpan<byte> from);
}
