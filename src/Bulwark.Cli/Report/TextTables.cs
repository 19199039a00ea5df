using Spectre.Console;

namespace Bulwark.Cli.Report;

/// <summary>Prints report tables on stdout in plain text no wider than an 80-column terminal: Spectre wraps
/// long cells and titles at that width, whatever stdout is connected to.</summary>
public static class TextTables
{
    public const int Width = 80;

    public static void Print(ReportTable table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = Width;
        var text = new Table().Border(TableBorder.Simple).Title(Markup.Escape(table.Title));
        for (int c = 0; c < table.Columns.Length; c++)
        {
            var column = new TableColumn(Markup.Escape(table.Columns[c]));
            text.AddColumn(table.RightAligned[c] ? column.RightAligned() : column);
        }
        foreach (var row in table.Rows) text.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(text);
        if (table.Note != null) Lines(table.Note);
    }

    /// <summary>Prints text on stdout wrapped at word boundaries to the table width.</summary>
    public static void Lines(string text)
    {
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new System.Text.StringBuilder();
            foreach (var word in paragraph.Split(' '))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > Width)
                {
                    Console.WriteLine(line);
                    line.Clear();
                }
                if (line.Length > 0) line.Append(' ');
                line.Append(word);
            }
            Console.WriteLine(line);
        }
    }
}
