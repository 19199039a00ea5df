namespace Bulwark.Machine.Cpu.Jit;

/// <summary>A compiled region's code. <paramref name="x"/> is x0 of the register file (registers live
/// in memory, so a fault leaves them exact); <paramref name="left"/> is the budget, from which each
/// basic block takes its whole length on entry, giving back what it did not run when it leaves early.
/// Returns the pc to go on from.</summary>
internal delegate ulong BlockCode(Hart hart, ref ulong x, ref long left);

/// <summary>A region of one page's code compiled to IL (see <see cref="BlockCompiler"/>), entered at
/// virtual address <see cref="Pc"/> (the same frame may be mapped elsewhere: the engine runs a region
/// only at the address it was compiled for).</summary>
internal sealed class CompiledBlock(ulong pc, ulong[] pcs, int[] giveBack, int entryLength, BlockCode code, int ilBytes)
{
    public ulong Pc { get; } = pc;
    /// <summary>The pc of each instruction, by index: where a fault in instruction i leaves the hart.</summary>
    public ulong[] Pcs { get; } = pcs;
    /// <summary>By index: the budget a fault in instruction i gives back (it and the rest of its basic block).</summary>
    public int[] GiveBack { get; } = giveBack;
    /// <summary>The length of the entry's basic block: the least budget the region can be entered with.</summary>
    public int EntryLength { get; } = entryLength;
    public int Length => Pcs.Length;
    public BlockCode Code { get; } = code;
    public int IlBytes { get; } = ilBytes;
}
