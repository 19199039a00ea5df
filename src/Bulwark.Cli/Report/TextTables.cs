using System.Text;

namespace Bulwark.Cli.Report;

/// <summary>Prints report tables on stdout as plain text no wider than an 80-column terminal, whatever
/// stdout is connected to. Every column first gets its widest cell; when the table is too wide, headers
/// wrap at spaces, then the text columns (left-aligned) wrap at spaces, widest first. Words and numbers
/// never break. (Spectre's tables crop headers with "…" and split words at 80
/// columns, which loses the very labels a reader needs.)</summary>
public static class TextTables
{
    public const int Width = 80;
    private const string Indent = "  ", Gap = "  ";

    public static void Print(ReportTable table)
    {
        int n = table.Columns.Length;
        var cells = table.Rows.Select(r => r.Select(c => c.Split('\n')).ToArray()).ToList();
        int[] content = Enumerable.Range(0, n).Select(c => cells.Select(r => r[c].Max(l => l.Length)).DefaultIfEmpty(0).Max()).ToArray();
        int[] width = Enumerable.Range(0, n).Select(c => Math.Max(content[c], table.Columns[c].Length)).ToArray();
        int Total() => Indent.Length + width.Sum() + Gap.Length * (n - 1);
        for (int c = 0; c < n && Total() > Width; c++) width[c] = Math.Max(content[c], LongestWord(table.Columns[c]));
        bool Wraps(int c) => !table.RightAligned[c];
        while (Total() > Width)
        {
            int widest = Enumerable.Range(0, n).Where(c => Wraps(c) && width[c] > Floor(c)).DefaultIfEmpty(-1).MaxBy(c => c < 0 ? 0 : width[c]);
            if (widest < 0) break;
            width[widest]--;
        }
        int Floor(int c) => Math.Max(LongestWord(table.Columns[c]), cells.Select(r => r[c].Max(LongestWord)).DefaultIfEmpty(1).Max());

        int total = Math.Min(Total(), Width);
        foreach (var line in Wrap(table.Title, Width)) Console.WriteLine(line.PadLeft((total + line.Length) / 2).TrimEnd());
        WriteRow(table.Columns.Select(h => new[] { h }).ToArray(), width, table.RightAligned);
        Console.WriteLine(Indent + new string('-', total - Indent.Length));
        foreach (var row in cells) WriteRow(row, width, table.RightAligned);
        Console.WriteLine();
        if (table.Note != null) Lines(table.Note);
    }

    /// <summary>Prints text on stdout wrapped at word boundaries to the table width.</summary>
    public static void Lines(string text)
    {
        foreach (var paragraph in text.Split('\n'))
            foreach (var line in Wrap(paragraph, Width)) Console.WriteLine(line);
    }

    private static void WriteRow(string[][] row, int[] width, bool[] right)
    {
        var columns = row.Select((lines, c) => lines.SelectMany(l => Wrap(l, width[c])).ToList()).ToList();
        int height = columns.Max(c => c.Count);
        for (int i = 0; i < height; i++)
        {
            var line = new StringBuilder(Indent);
            for (int c = 0; c < columns.Count; c++)
            {
                string cell = i < columns[c].Count ? columns[c][i] : "";
                if (c > 0) line.Append(Gap);
                line.Append(right[c] ? cell.PadLeft(width[c]) : cell.PadRight(width[c]));
            }
            Console.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>Words of <paramref name="text"/> in lines of at most <paramref name="width"/> characters;
    /// a word longer than that is split.</summary>
    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var whole in text.Split(' '))
        {
            string word = whole;
            while (word.Length > width)
            {
                if (line.Length > 0) { yield return line.ToString(); line.Clear(); }
                yield return word[..width];
                word = word[width..];
            }
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { yield return line.ToString(); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        yield return line.ToString();
    }

    private static int LongestWord(string text) => text.Split(' ').Max(w => w.Length);
}
