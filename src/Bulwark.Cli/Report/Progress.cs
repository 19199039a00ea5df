using Spectre.Console;

namespace Bulwark.Cli.Report;

/// <summary>What eval is doing, one line per step on stderr, whatever stdout and stderr are connected to
/// (a redirected eval of several minutes must still show it is alive): grey on a terminal, plain text
/// otherwise. stdout keeps only the tables.</summary>
public sealed class Progress
{
    private readonly IAnsiConsole? terminal = Console.IsErrorRedirected ? null
        : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public void Step(string phase, string what, int index, int count)
    {
        string line = $"eval: {phase} {index}/{count}: {what}";
        if (terminal != null) terminal.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
        else Console.Error.WriteLine(line);
    }
}
