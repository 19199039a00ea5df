using System.CommandLine;
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

    /// <summary>`--jit-compile`, for every command that has `--engine` (see <see cref="RequireJitCompile"/>).</summary>
    public static Option<string?> JitCompileOption() => new("--jit-compile")
    {
        HelpName = "background|inline",
        Description = "With --engine jit: compile hot code on a worker thread while the guest's goes on (background), or on the guest's thread, so that the same code runs compiled on every run and --stats repeat (inline); results are the same [default: background]",
    };

    /// <summary>`--jit-compile`'s rules on <paramref name="command"/>: one of its names, and only with the
    /// block engine (the default one, or <paramref name="engine"/> naming it).</summary>
    public static void RequireJitCompile(Command command, Option<string> engine, Option<string?> jitCompile)
    {
        OptionRules.Require(jitCompile, c => c is null or "background" or "inline", $"is not one of: {CompileChoices}");
        command.Validators.Add(r =>
        {
            if (r.GetValue(jitCompile) != null && r.GetValue(engine) is { } named && named != "jit") r.AddError("--jit-compile needs --engine jit");
        });
    }

    /// <summary>A validated `--jit-compile` value; background when it was not given.</summary>
    public static JitCompilation ParseCompile(string? name) => name == "inline" ? JitCompilation.Inline : JitCompilation.Background;

    public static string Name(JitCompilation compile) => compile == JitCompilation.Inline ? "inline" : "background";
}
