using Bulwark.Machine.Cpu.Jit;

namespace Bulwark.Machine.Cpu;

/// <summary>Which execution engine runs guest code (`--engine`). Both retire exactly the same
/// instructions, so a run, its schedule and its output do not depend on the choice.</summary>
public enum EngineKind
{
    /// <summary>The pre-decoding interpreter (<see cref="Interpreter"/>).</summary>
    Interpreter,
    /// <summary>The block-translating engine (<see cref="BlockEngine"/>): hot blocks compiled to IL.</summary>
    Jit,
}

/// <summary>Where the block engine compiles (`--jit-compile`). Either way the guest's results, counts
/// and schedule are the same; only which code runs compiled, and so the engine's statistics, differ.</summary>
public enum JitCompilation
{
    /// <summary>On a worker thread, while the guest's thread interprets the code meanwhile: the
    /// guest's thread never waits for RyuJIT, but the statistics vary from run to run.</summary>
    Background,
    /// <summary>On the guest's thread, when a block start gets hot: the same blocks are compiled at the
    /// same instructions on every run.</summary>
    Inline,
}

public static class ExecutionEngines
{
    /// <param name="jitThreshold">For the block engine: entries of a block start before it is compiled.</param>
    /// <param name="jitCompile">For the block engine: where it compiles.</param>
    public static IExecutionEngine Create(EngineKind kind, int jitThreshold = BlockEngine.DefaultThreshold, JitCompilation jitCompile = JitCompilation.Background) => kind switch
    {
        EngineKind.Interpreter => new Interpreter(),
        EngineKind.Jit => new BlockEngine(jitThreshold, compileWorker: jitCompile == JitCompilation.Background ? BlockEngine.OnThreadPool : null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
