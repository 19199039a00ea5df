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

public static class ExecutionEngines
{
    /// <param name="jitThreshold">For the block engine: entries of a block start before it is compiled.</param>
    public static IExecutionEngine Create(EngineKind kind, int jitThreshold = BlockEngine.DefaultThreshold) => kind switch
    {
        EngineKind.Interpreter => new Interpreter(),
        EngineKind.Jit => new BlockEngine(jitThreshold),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
