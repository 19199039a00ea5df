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

    public const string CompileChoices = "background, inline";

    /// <summary>`--jit-compile`'s description, shared by every command that has it.</summary>
    public const string CompileDescription = "With --engine jit: compile hot code on a worker thread while the guest's goes on (background), or on the guest's thread, so that the same code runs compiled on every run and --stats repeat (inline); results are the same";

    public static bool TryParseCompile(string? name, out JitCompilation compile)
    {
        compile = name == "inline" ? JitCompilation.Inline : JitCompilation.Background;
        return name is "background" or "inline";
    }

    public static string Name(JitCompilation compile) => compile == JitCompilation.Inline ? "inline" : "background";
}
