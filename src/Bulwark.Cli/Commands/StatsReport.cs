using System.Text.Json;
using Bulwark.Kernel;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>A finished run's counters: the --stats table (on stderr, so the guest's stdout stays clean)
/// and the --stats-json document.</summary>
public static class StatsReport
{
    public static void Print(IReadOnlyList<Counter> counters)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("counter").AddColumn(new TableColumn("value").RightAligned());
        foreach (var c in counters) table.AddRow(Markup.Escape(c.Label), Markup.Escape(c.Shown));
        Consoles.PlainStderr().Write(table);
    }

    /// <summary>{"program", "exit_status", "message", "counters": {key: value}}: whole numbers stay exact.</summary>
    public static void WriteJson(string path, string program, RunResult result, IReadOnlyList<Counter> counters)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("program", program);
        json.WriteNumber("exit_status", result.ExitStatus);
        if (result.Message != null) json.WriteString("message", result.Message);
        json.WriteBoolean("violation", result.IsViolation);
        json.WriteStartObject("counters");
        foreach (var c in counters)
        {
            switch (c.Value)
            {
                case long n: json.WriteNumber(c.Key, n); break;
                case double d: json.WriteNumber(c.Key, Math.Round(d, 6)); break;
                default: json.WriteString(c.Key, c.Value.ToString()); break;
            }
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
