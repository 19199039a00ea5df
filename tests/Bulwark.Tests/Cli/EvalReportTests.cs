using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Bulwark.Cli.Report;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Cli;

/// <summary>One small `bulwark eval` (budget 1, 2 runs, a one-benchmark suite, one entropy point, one
/// schedule per revocation cell), run once for the tests of <see cref="EvalReportTests"/> and
/// <see cref="EvalShardTests"/>.</summary>
public sealed class SmallEval : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "bulwark-eval-" + Guid.NewGuid().ToString("N")[..8]);
    public CliProcess.Result Result { get; }
    public EvalResults Results { get; }
    public const int Runs = 2;

    /// <summary>The eval's options, without --out.</summary>
    public string[] Options { get; }

    public SmallEval()
    {
        System.IO.Directory.CreateDirectory(Directory);
        string suite = Path.Combine(Directory, "suite.txt");
        File.WriteAllText(suite, $"null_syscall {GuestCase.RepositoryPath("bench", "guests")}/null_syscall.elf 20000\n");
        Options = ["--budget", "1", "--runs", Runs.ToString(), "--suite", suite, "--entropy-seeds", "1", "--entropy-max-bits", "14", "--revocation-budget", "1"];
        Result = CliProcess.RunFor(TimeSpan.FromMinutes(10), "", ["eval", .. Options, "--out", Output]);
        Results = ResultsJson.Read(Path.Combine(Output, ResultsJson.FileName));
    }

    public string Output => Path.Combine(Directory, "out");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>The tests that read the one <see cref="SmallEval"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SmallEvalCollection : ICollectionFixture<SmallEval>
{
    public const string Name = "small eval";
}

/// <summary>`bulwark eval`'s report: stdout fits 80 columns, progress reaches a redirected stderr, results.json
/// holds every section's raw figures, and index.html, loaded in a real (headless) browser, shows every table
/// and every figure with the same figures as results.json.</summary>
[Collection(SmallEvalCollection.Name)]
public sealed class EvalReportTests(SmallEval eval)
{
    [Fact]
    public void Eval_Finishes_WithoutAnError() =>
        Assert.True(eval.Result.ExitCode is 0 or 1, $"status {eval.Result.ExitCode}: {eval.Result.Stderr}");

    [Fact]
    public void EveryStdoutLine_FitsAnEightyColumnTerminal()
    {
        var lines = eval.Result.Stdout.Split('\n');
        Assert.True(lines.Length > 100, "the tables are on stdout");
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= 80, $"{l.Length} columns: {l}"));
    }

    [Fact]
    public void Progress_ReachesARedirectedStderr_InEveryPhase()
    {
        foreach (var phase in new[] { "double-fetch attacks 1/14", "double-fetch attacks 14/14", "cost of Midas 1/1", "password attacks 25/25",
                     "password costs", "statistical entropy 1/1", "revocation 1/" })
            Assert.Contains("eval: " + phase, eval.Result.Stderr);
        Assert.DoesNotContain("eval:", eval.Result.Stdout);
    }

    [Fact]
    public void ResultsJson_HoldsEverySection_WithRawCountsAndSamples()
    {
        var r = eval.Results;
        Assert.Equal(EvalResults.CurrentSchema, r.Schema);
        Assert.True(r.Context.Cores > 0);
        Assert.NotEmpty(r.Context.Cpu);
        Assert.Matches("^[0-9a-f]{40}(-dirty)?$|^unknown$", r.Context.Commit);
        Assert.Contains("eval --budget 1", r.Context.Command);
        Assert.Equal(14, r.Attacks!.Count);
        Assert.All(r.Attacks, a => Assert.Equal(a.MidasBudget, a.MidasHeld + a.MidasViolated + a.MidasInconclusive));
        var cost = Assert.Single(r.MidasCosts!);
        Assert.Equal(SmallEval.Runs, cost.None.WallSeconds.Length);
        Assert.Equal(SmallEval.Runs, cost.Midas.CpuSeconds.Length);
        Assert.InRange(cost.None.Wall.Median, cost.None.Wall.Low, cost.None.Wall.High);
        Assert.Equal(25, r.PasswordAttacks!.Count);
        Assert.Equal(5, r.PasswordCosts!.Count);
        Assert.Single(r.Entropy!);
        Assert.All(r.Revocation!, c => Assert.Equal(1, c.Runs));
        Assert.Equal(["attacks.png", "cost.png", "password-cost.png", "statistical-entropy.png"], r.Figures.Select(f => f.File).Order());
    }

    [Fact]
    public void ThePage_InABrowser_ShowsEveryTableAndFigure_AsInResultsJson()
    {
        string dom = DumpDom(Path.Combine(eval.Output, HtmlReport.FileName));
        Assert.Empty(PageProblems(dom, eval.Results, eval.Output, rendered: true));
    }

    /// <summary>The check above must be able to fail: a page without a table, with a changed figure or with a
    /// figure that is not an image is reported.</summary>
    [Fact]
    public void ThePageCheck_CatchesAMissingTable_AChangedNumber_AndABrokenFigure()
    {
        string dom = File.ReadAllText(Path.Combine(eval.Output, HtmlReport.FileName));
        var r = eval.Results;
        string noTable = Regex.Replace(dom, "<table id=\"midas-wall\">.*?</table>", "", RegexOptions.Singleline);
        Assert.Contains(PageProblems(noTable, r, eval.Output, rendered: false), p => p.Contains("midas-wall"));
        var a = r.Attacks![0];
        string changed = dom.Replace($"<td class=\"num\">{a.MidasHeld}/{a.MidasViolated}/{a.MidasInconclusive}</td>",
            $"<td class=\"num\">{a.MidasHeld + 1}/{a.MidasViolated}/{a.MidasInconclusive}</td>");
        Assert.NotEqual(dom, changed);
        Assert.Contains(PageProblems(changed, r, eval.Output, rendered: false), p => p.Contains("attacks"));
        string broken = Regex.Replace(dom, "src=\"data:image/png;base64,[^\"]{100}", "src=\"data:image/png;base64,AAAA");
        Assert.Contains(PageProblems(broken, r, eval.Output, rendered: false), p => p.Contains("figure"));
    }

    /// <summary>What is wrong with the page <paramref name="dom"/> against results.json: every table there with
    /// the same cells, nothing else; every figure the PNG's bytes and, in a <paramref name="rendered"/> DOM, an image
    /// the browser decoded; the run's
    /// context; and the structured figures in the tables' cells.</summary>
    internal static List<string> PageProblems(string dom, EvalResults r, string directory, bool rendered)
    {
        var problems = new List<string>();
        var tables = Regex.Matches(dom, "<table id=\"(?<id>[^\"]+)\">(?<body>.*?)</table>", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups["id"].Value, m => Rows(m.Groups["body"].Value));
        if (tables.Count != r.Tables.Count) problems.Add($"{tables.Count} tables on the page, {r.Tables.Count} in results.json");
        foreach (var table in r.Tables)
        {
            if (!tables.TryGetValue(table.Id, out var rows)) { problems.Add($"table {table.Id} missing"); continue; }
            var expected = new[] { table.Columns }.Concat(table.Rows).Select(row => string.Join(" | ", row)).ToList();
            var shown = rows.Select(row => string.Join(" | ", row)).ToList();
            if (!expected.SequenceEqual(shown)) problems.Add($"table {table.Id} differs: {string.Join(" / ", shown.Except(expected).Take(3))}");
        }
        var images = Regex.Matches(dom, "<img [^>]*>").Select(m => m.Value).ToList();
        if (images.Count != r.Figures.Count) problems.Add($"{images.Count} figures on the page, {r.Figures.Count} in results.json");
        foreach (var figure in r.Figures)
        {
            string? img = images.FirstOrDefault(i => i.Contains($"data-file=\"{figure.File}\""));
            if (img == null) { problems.Add($"figure {figure.File} missing"); continue; }
            string data = Regex.Match(img, "src=\"data:image/png;base64,(?<b>[^\"]*)\"").Groups["b"].Value;
            byte[] bytes;
            try { bytes = Convert.FromBase64String(data); }
            catch (FormatException) { bytes = []; }
            if (!bytes.SequenceEqual(File.ReadAllBytes(Path.Combine(directory, figure.File)))) problems.Add($"figure {figure.File} is not the PNG's bytes");
            var decoded = Regex.Match(img, "data-decoded=\"(?<d>[^\"]*)\"");
            if (rendered && !Regex.IsMatch(decoded.Groups["d"].Value, @"^[1-9]\d*x[1-9]\d*$")) problems.Add($"figure {figure.File} did not decode in the browser");
        }
        foreach (var value in new[] { r.Context.Cpu, r.Context.Commit, r.Context.Command, r.Context.DateUtc, r.Context.Dotnet })
            if (!dom.Contains(WebUtility.HtmlEncode(value)) && !dom.Contains(value)) problems.Add($"context {value} missing");
        // The structured figures, read back from the cells that show them.
        if (tables.TryGetValue("attacks", out var attackRows))
            foreach (var a in r.Attacks!)
                if (!attackRows.Any(row => row[0] == a.Handler && row[2] == $"{a.MidasHeld}/{a.MidasViolated}/{a.MidasInconclusive}" && row[4] == a.BenignFalsePositives.ToString()))
                    problems.Add($"attacks: {a.Handler}'s counts are not on the page");
        if (tables.TryGetValue("midas-wall", out var wallRows))
            foreach (var c in r.MidasCosts!)
                if (!wallRows.Any(row => row[0] == c.Benchmark && row[1] == Format.MsCi(c.None.Wall) && row[3] == Format.PercentCi(c.WallOverheadPercent)))
                    problems.Add($"midas-wall: {c.Benchmark}'s medians are not on the page");
        if (tables.TryGetValue("revocation-security", out var revocationRows))
            foreach (var c in r.Revocation!)
                if (!revocationRows.Any(row => row[0] == c.Attack && row[1] == c.Defence && row[2] == $"{c.Broken}/{c.Runs}"))
                    problems.Add($"revocation-security: {c.Attack} under {c.Defence} is not on the page");
        return problems;
    }

    /// <summary>A table's rows as cell texts, a line break as '\n'.</summary>
    private static List<string[]> Rows(string body) =>
        Regex.Matches(body, "<tr>(?<row>.*?)</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Groups["row"].Value, "<t[hd][^>]*>(?<cell>.*?)</t[hd]>", RegexOptions.Singleline)
                .Select(c => WebUtility.HtmlDecode(c.Groups["cell"].Value.Replace("<br>", "\n"))).ToArray())
            .ToList();

    /// <summary>The DOM Debian's headless chromium builds from the page, after its load event.</summary>
    private static string DumpDom(string page)
    {
        var info = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + page }) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("chromium is not installed (apt-get install chromium)", e); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000)) { process.Kill(entireProcessTree: true); throw new TimeoutException("chromium did not finish in 120 s"); }
            Assert.True(process.ExitCode == 0, "chromium: " + stderr.Result);
            Assert.Contains("data-loaded=\"yes\"", stdout.Result);
            return stdout.Result;
        }
    }
}
