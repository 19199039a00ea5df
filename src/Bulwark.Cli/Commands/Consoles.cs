using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>Spectre consoles for tables: plain text (no colours, no escape codes) and wide enough that
/// tables are not folded when the output is a file or a pipe.</summary>
public static class Consoles
{
    public static IAnsiConsole PlainStdout() => Plain(new AnsiConsoleOutput(Console.Out));

    public static IAnsiConsole PlainStderr() => Plain(new AnsiConsoleOutput(Console.Error));

    private static IAnsiConsole Plain(IAnsiConsoleOutput output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = output, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        return console;
    }
}
