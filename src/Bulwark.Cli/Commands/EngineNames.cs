using Bulwark.Machine.Cpu;

namespace Bulwark.Cli.Commands;

/// <summary>The command-line names of the execution engines (`--engine`).</summary>
public static class EngineNames
{
    public const string Choices = "interpreter, jit";

    public static bool TryParse(string? name, out EngineKind engine)
    {
        engine = name == "jit" ? EngineKind.Jit : EngineKind.Interpreter;
        return name is "interpreter" or "jit";
    }

    public static string Name(EngineKind engine) => engine == EngineKind.Jit ? "jit" : "interpreter";
}
