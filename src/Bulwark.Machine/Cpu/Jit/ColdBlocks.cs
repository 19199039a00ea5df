namespace Bulwark.Machine.Cpu.Jit;

/// <summary>How the interpreter runs cold code for the block engine (see
/// <see cref="Interpreter.RunBlocks"/>): at each basic block's end it goes on into the next block on
/// the same page unless that one is compiled, or this entry makes it hot; it counts the entry as the
/// engine would have. A block it stops before is left for the engine, which counts it. Returning to
/// the engine after every block cost about 20 ns a block (bzip2 -9 all interpreted that way: 0.77 s
/// against the interpreter's 0.50 s).</summary>
internal struct ColdBlocks(int threshold, CompileQueue? queue) : Interpreter.IRunMode
{
    /// <summary>Basic blocks entered (for <see cref="BlockEngineStats.InterpretedBlocks"/>).</summary>
    public long Entered;

    public static bool StopAtBlockEnd => true;

    public bool GoesOnAt(DecodedPage page, ulong pc)
    {
        var blocks = page.Blocks;
        if (blocks == null) return false;
        int slot = DecodedPage.SlotOf(pc);
        if (blocks.Compiled[slot] is { } compiled)
        {
            // A region the worker is compiling: on, until it has finished something to install.
            if (compiled != CompiledBlock.Pending || queue!.HasResults) return false;
            Entered++;
            return true;
        }
        if (!blocks.CountColdEntry(page, slot, threshold)) return false;
        Entered++;
        return true;
    }

    /// <summary>Past an instruction a region can hold (M, F, D), on; past one that ends regions (a system
    /// call, CSR, atomic, fence.i, custom instruction), back to the engine, so that the block after it
    /// is counted and may be compiled.</summary>
    public readonly bool GoesOnAfter(Op op) => BlockCompiler.Compilable(op);
}
