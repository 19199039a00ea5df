using Bulwark.Machine.Cpu;

namespace Bulwark.Lab.Debugging;

/// <summary>A board's harts as a debugger sees them: gdb thread N is hart N-1, memory is physical RAM
/// (device registers are not read: a read could change a device).</summary>
public sealed class BoardDebugTarget(Machine.Machine machine) : IDebugTarget
{
    public IReadOnlyList<int> Threads => machine.Harts.Select(h => h.Id + 1).ToList();

    public int ThreadOn(Hart hart) => hart.Id + 1;

    public HartState? Registers(int thread) => thread >= 1 && thread <= machine.Harts.Count ? machine.Harts[thread - 1].State : null;

    public bool Read(int thread, ulong address, Span<byte> into)
    {
        if (!machine.Bus.IsRam(address, (ulong)into.Length)) return false;
        machine.Memory.Read(address, into);
        return true;
    }

    public bool Write(int thread, ulong address, ReadOnlySpan<byte> from)
    {
        if (!machine.Bus.IsRam(address, (ulong)from.Length)) return false;
        machine.Memory.Write(address, from);
        return true;
    }
}
