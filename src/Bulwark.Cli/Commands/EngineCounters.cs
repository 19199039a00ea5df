using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;

namespace Bulwark.Cli.Commands;

/// <summary>The block engine's figures for --stats (run, system, s3k): what it compiled, what that cost,
/// and how much of the run it covered. None for the interpreter.</summary>
public static class EngineCounters
{
    public static List<Counter> Of(IExecutionEngine engine, long instructions)
    {
        if (engine is not BlockEngine jit) return [];
        var j = jit.Stats;
        double share = instructions > 0 ? 100.0 * j.InstructionsRunCompiled / instructions : 0;
        return
        [
            Counter.Count("jit.blocks_compiled", "jit: regions compiled", j.BlocksCompiled),
            Counter.Count("jit.instructions_compiled", "jit: instructions compiled", j.InstructionsCompiled),
            new("jit.compile_seconds", "jit: compile time", j.CompileTime.TotalSeconds, $"{j.CompileTime.TotalSeconds:F3} s"),
            new("jit.cache_il_bytes", "jit: code cache (IL)", j.IlBytesInCache, $"{j.IlBytesInCache / 1024} KiB in {j.BlocksInCache:N0} regions"),
            Counter.Count("jit.cache_flushes", "jit: cache flushes", j.CacheFlushes),
            Counter.Count("jit.block_runs", "jit: compiled region runs", j.BlockRuns),
            Counter.Count("jit.regions_chained", "jit: regions entered from another", j.RegionsChained),
            Counter.Count("jit.interpreted_blocks", "jit: basic blocks interpreted", j.InterpretedBlocks),
            new("jit.compiled_share", "jit: instructions run compiled", share, $"{share:F1}%"),
        ];
    }
}
