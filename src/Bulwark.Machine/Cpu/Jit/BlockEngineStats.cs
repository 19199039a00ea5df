namespace Bulwark.Machine.Cpu.Jit;

/// <summary>What the block engine did in one run, for <c>--stats</c>.</summary>
public sealed class BlockEngineStats
{
    public long BlocksCompiled { get; internal set; }
    /// <summary>Guest instructions in the blocks compiled.</summary>
    public long InstructionsCompiled { get; internal set; }
    /// <summary>Host time spent emitting IL and JIT-compiling it.</summary>
    public TimeSpan CompileTime { get; internal set; }
    /// <summary>Blocks compiled since the cache was last emptied (including any whose page has been
    /// written since, which the next flush lets the GC free).</summary>
    public long BlocksInCache { get; internal set; }
    /// <summary>The IL size of those blocks, a measure of the code cache's size.</summary>
    public long IlBytesInCache { get; internal set; }
    public long CacheFlushes { get; internal set; }
    /// <summary>Calls of compiled blocks by the engine (a loop inside a block is one call).</summary>
    public long BlockRuns { get; internal set; }
    /// <summary>Compiled blocks a region's exit went on into without returning to the engine.</summary>
    public long RegionsChained { get; internal set; }
    /// <summary>Basic blocks the interpreter ran (cold code, and what blocks cannot hold).</summary>
    public long InterpretedBlocks { get; internal set; }
    /// <summary>Guest instructions retired inside compiled blocks.</summary>
    public long InstructionsRunCompiled { get; internal set; }
}
