using System.Net;
using System.Text;

namespace Bulwark.Cli.Report;

/// <summary>index.html: one self-contained page (inline CSS, PNGs as base64 data URIs, nothing fetched) with
/// the run's context, every table and every figure of <see cref="EvalResults"/>, by section.</summary>
public static class HtmlReport
{
    public const string FileName = "index.html";

    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 1250px; color: #222; }
        table { border-collapse: collapse; margin: 0.5em 0 0.3em; font-size: 0.9em; }
        th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; vertical-align: top; }
        th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        caption { font-weight: bold; text-align: left; padding-bottom: 0.3em; }
        p.note { font-size: 0.85em; color: #555; margin-top: 0; }
        img { max-width: 100%; border: 1px solid #ddd; }
        dl.context { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dt { font-weight: bold; } dd { margin: 0; font-family: monospace; }
        """;

    // Records in the page itself whether each figure decoded (its natural size), so a headless browser's
    // DOM dump shows the figures were images and not only data.
    private const string Script = """
        window.addEventListener('load', () => {
          for (const img of document.images)
            img.dataset.decoded = img.complete && img.naturalWidth > 0 ? img.naturalWidth + 'x' + img.naturalHeight : 'no';
          document.body.dataset.loaded = 'yes';
        });
        """;

    public static void Write(EvalResults results, string directory)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>bulwark eval</title>\n");
        html.Append("<style>").Append(Style).Append("</style>\n<script>").Append(Script).Append("</script></head>\n<body>\n");
        html.Append("<h1>bulwark eval</h1>\n");
        Context(html, results.Context, results.ShardContexts);
        html.Append("<p>Costs: each cell is the median of the interleaved timed runs (one warm-up round of every ")
            .Append("configuration discarded first); the bracket below it is the order-statistic confidence interval of the median ")
            .Append("(the sorted runs' x(j) to x(n+1−j), distribution-free; its exact coverage is in each table's note: 95% or more ")
            .Append("from 6 runs). Overheads are the median of the per-round ratios to <code>none</code>. CPU is the process's CPU ")
            .Append("time during the run; when it is well below wall time, the shared machine took the time. ")
            .Append("Guest instructions are deterministic (same seed, same schedule). All data: <code>")
            .Append(ResultsJson.FileName).Append("</code>.</p>\n");
        var sections = results.Tables.Select(t => t.Section).Concat(results.Figures.Select(f => f.Section)).Distinct();
        foreach (var section in sections)
        {
            html.Append("<h2>").Append(E(section)).Append("</h2>\n");
            foreach (var table in results.Tables.Where(t => t.Section == section)) Table(html, table);
            foreach (var figure in results.Figures.Where(f => f.Section == section)) Image(html, figure, directory);
        }
        html.Append("</body></html>\n");
        File.WriteAllText(Path.Combine(directory, FileName), html.ToString());
    }

    /// <summary>The run's context; for a report merged from shards, also where and how each shard ran.</summary>
    private static void Context(StringBuilder html, RunContext c, List<RunContext>? shards)
    {
        html.Append("<dl class=\"context\" id=\"context\">\n");
        var rows = new List<(string, string)> { ("machine", $"{c.Cpu}, {c.Cores} cores"), ("os", c.Os), (".NET", c.Dotnet),
            ("commit", c.Commit), ("command", c.Command), ("date", c.DateUtc) };
        if (shards != null)
            rows.AddRange(shards.Select((s, i) => ($"shard {i}/{shards.Count}", $"{s.Cpu}, {s.Cores} cores, {s.Os}, {s.Dotnet}; {s.DateUtc}; {s.Command}")));
        foreach (var (name, value) in rows)
            html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");
        html.Append("</dl>\n");
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        html.Append("<table id=\"").Append(E(table.Id)).Append("\"><caption>").Append(E(table.Title)).Append("</caption>\n<tr>");
        foreach (var column in table.Columns) html.Append("<th>").Append(E(column)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Length; c++)
                html.Append(table.RightAligned[c] ? "<td class=\"num\">" : "<td>").Append(Cell(row[c])).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
        if (table.Note != null) html.Append("<p class=\"note\">").Append(Cell(table.Note)).Append("</p>\n");
    }

    private static void Image(StringBuilder html, Figure figure, string directory)
    {
        string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(directory, figure.File)));
        html.Append("<figure><img data-file=\"").Append(E(figure.File)).Append("\" alt=\"").Append(E(figure.Title))
            .Append("\" src=\"data:image/png;base64,").Append(data).Append("\"><figcaption>").Append(E(figure.Caption))
            .Append("</figcaption></figure>\n");
    }

    private static string Cell(string text) => string.Join("<br>", text.Split('\n').Select(E));

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
