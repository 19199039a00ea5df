using System.CommandLine;
using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Lab.Benchmarks;
using Bulwark.Lab.Evaluation;
using ScottPlot;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark eval`: which attack each protection stops, and what it costs. Prints both tables
/// and plots them (PNG) into the output directory.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var budget = new Option<int>("--budget") { Description = "Schedules the explorer may try per unprotected attack (Midas gets ten times what the attack needed)", DefaultValueFactory = _ => 100 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per cost measurement", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Directory for the plots", DefaultValueFactory = _ => "eval-results" };
        var skipCost = new Option<bool>("--skip-cost") { Description = "Only the attack table" };
        var revocationBudget = new Option<int>("--revocation-budget") { Description = "Schedules per cell of the revocation table (attack x policy)", DefaultValueFactory = _ => 20 };
        var revocationOnly = new Option<bool>("--revocation-only") { Description = "Only the revocation table (issue 9)" };
        var skipRevocation = new Option<bool>("--skip-revocation") { Description = "No revocation table" };
        var command = new Command("eval", "Run every double-fetch attack against no protection, Midas and detection mode, measure Midas's cost, run every revocation attack against every revoke policy; print and plot")
        {
            budget, runs, output, skipCost, revocationBudget, revocationOnly, skipRevocation,
        };
        OptionRules.Require(revocationBudget, b => b >= 1, "is not a positive number of schedules");
        command.Validators.Add(r =>
        {
            if (r.GetValue(revocationOnly) && r.GetValue(skipRevocation)) r.AddError("--revocation-only and --skip-revocation cannot be used together");
        });
        OptionRules.Require(budget, b => b >= 1, "is not a positive number of schedules");
        OptionRules.Require(runs, n => n is >= 1 and <= 100, "is not between 1 and 100");
        command.SetAction(p =>
        {
            int status = 0;
            if (!p.GetValue(revocationOnly)) status = Execute(p.GetValue(budget), p.GetValue(runs), p.GetValue(output)!, p.GetValue(skipCost));
            if (status == RunCommand.InputError || p.GetValue(skipRevocation)) return status;
            return Math.Max(status, RevocationTable.Execute(p.GetValue(revocationBudget)));
        });
        return command;
    }

    private static int Execute(int budget, int runs, string output, bool skipCost)
    {
        string? guests = Repository.Find("lab", "doublefetch");
        if (guests == null)
        {
            Console.Error.WriteLine("bulwark: error: lab/doublefetch (the attack guests) not found; run eval from the repository");
            return RunCommand.InputError;
        }
        var evaluation = new DoubleFetchEvaluation(guests, budget);
        var missing = DfBenchDevice.Handlers.Where(h => !File.Exists(evaluation.ExploitElf(h)) || !File.Exists(evaluation.BenignElf(h))).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"bulwark: error: no guests for {string.Join(", ", missing.Select(h => h.Name))} in {guests}");
            return RunCommand.InputError;
        }
        var verdicts = new List<HandlerVerdict>();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        foreach (var handler in DfBenchDevice.Handlers)
        {
            if (!Console.IsErrorRedirected) console.MarkupLine($"[grey]attacking {handler.Name}...[/]");
            verdicts.Add(evaluation.Evaluate(handler));
        }
        PrintAttacks(verdicts, budget);
        Directory.CreateDirectory(output);
        PlotAttacks(verdicts, Path.Combine(output, "attacks.png"));
        List<BenchmarkComparison> costs = [];
        string? suite = Repository.Find("bench", "guests");
        if (!skipCost && suite != null && File.Exists(Path.Combine(suite, "suite.txt")))
        {
            costs = BenchmarkCase.ReadSuite(Path.Combine(suite, "suite.txt")).Select(c => ProtectionBenchmark.Compare(c, runs)).ToList();
            PrintCosts(costs, runs);
            PlotCosts(costs, Path.Combine(output, "cost.png"));
        }
        Console.WriteLine($"plots: {Path.Combine(output, "attacks.png")}{(costs.Count > 0 ? ", " + Path.Combine(output, "cost.png") : "")}");
        bool allGood = verdicts.All(v => v.SchedulesToExploit != null && v.MidasStopped && v.Detected && v.BenignUnchanged);
        return allGood ? 0 : 1;
    }

    private static void PrintAttacks(List<HandlerVerdict> verdicts, int budget)
    {
        var table = new Table().Border(TableBorder.Simple).Title("double-fetch attacks: no protection vs Midas vs detection")
            .AddColumn("handler").AddColumn("origin").AddColumn(new TableColumn("no protection").RightAligned())
            .AddColumn(new TableColumn("midas").RightAligned()).AddColumn("detect").AddColumn("benign same");
        foreach (var v in verdicts)
        {
            string attack = v.SchedulesToExploit is { } n ? $"exploited in {n}" : $"not found in {v.ExploreBudget}";
            string midas = v.MidasStopped ? $"stopped ({v.MidasBudget})" : "BROKEN";
            table.AddRow(Markup.Escape(v.Handler.Name), Markup.Escape(v.Handler.Origin), attack, midas, v.Detected ? "flagged" : "MISSED", v.BenignUnchanged ? "yes" : "NO");
        }
        Consoles.PlainStdout().Write(table);
        Console.WriteLine($"exploited without protection: {verdicts.Count(v => v.SchedulesToExploit != null)}/{verdicts.Count} (budget {budget} schedules each); " +
                          $"stopped by Midas: {verdicts.Count(v => v.MidasStopped)}/{verdicts.Count}; flagged by detection: {verdicts.Count(v => v.Detected)}/{verdicts.Count}");
    }

    private static void PrintCosts(List<BenchmarkComparison> costs, int runs)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"cost of Midas (median of {runs} run{(runs > 1 ? "s" : "")})")
            .AddColumn("benchmark").AddColumn(new TableColumn("time off").RightAligned()).AddColumn(new TableColumn("time midas").RightAligned())
            .AddColumn(new TableColumn("overhead").RightAligned()).AddColumn(new TableColumn("versions").RightAligned()).AddColumn(new TableColumn("extra mem").RightAligned());
        foreach (var c in costs)
            table.AddRow(c.Case.Label, $"{c.Baseline.MedianSeconds * 1000:F1} ms", $"{c.Midas.MedianSeconds * 1000:F1} ms",
                $"{c.TimeOverheadPercent:+0.0;-0.0}%", c.Midas.VersionsCreated.ToString("N0"), $"{c.Midas.PeakExtraBytes / 1024} KiB");
        Consoles.PlainStdout().Write(table);
    }


    /// <summary>Bars on a log10 axis: schedules the attack needed (red; grey if never found) beside the
    /// schedules Midas held (green; black if broken).</summary>
    private static void PlotAttacks(List<HandlerVerdict> verdicts, string path)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        var bars = new List<Bar>();
        for (int i = 0; i < verdicts.Count; i++)
        {
            var v = verdicts[i];
            bars.Add(new Bar
            {
                Position = i - 0.2, Size = 0.35,
                Value = Math.Log10(v.SchedulesToExploit ?? v.ExploreBudget) + 0.05,
                FillColor = v.SchedulesToExploit != null ? Colors.Red : Colors.Gray,
            });
            bars.Add(new Bar
            {
                Position = i + 0.2, Size = 0.35,
                Value = Math.Log10(v.MidasBudget),
                FillColor = v.MidasStopped ? Colors.SeaGreen : Colors.Black,
            });
            ticks.Add(new Tick(i, v.Handler.Name.Replace("DFB_", "")));
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 140;
        int decades = (int)Math.Ceiling(verdicts.Max(v => Math.Log10(Math.Max(v.MidasBudget, 10))));
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, decades + 1).Select(d => new Tick(d, Math.Pow(10, d).ToString("N0"))).ToArray());
        plot.Axes.Left.Label.Text = "schedules (log scale)";
        plot.Title("red: schedules the explorer needed to exploit; green: schedules Midas held");
        plot.Axes.SetLimitsY(0, decades + 0.2);
        plot.SavePng(path, 1200, 600);
    }

    private static void PlotCosts(List<BenchmarkComparison> costs, string path)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        for (int i = 0; i < costs.Count; i++)
        {
            plot.Add.Bar(position: i, value: costs[i].TimeOverheadPercent);
            ticks.Add(new Tick(i, costs[i].Case.Label));
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 140;
        plot.Axes.Left.Label.Text = "host-time overhead of Midas (%)";
        plot.Title("cost of Midas per benchmark");
        plot.SavePng(path, 1200, 600);
    }
}
