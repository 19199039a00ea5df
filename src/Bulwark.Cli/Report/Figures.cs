using ScottPlot;

namespace Bulwark.Cli.Report;

/// <summary>The eval's plots. Each configuration has one colour in every figure (<see cref="ColourOf"/>),
/// every figure has a legend, error bars are the CIs the tables print, and values are plotted as measured
/// (bars on a log axis start at its floor instead of being shifted up).</summary>
public static class Figures
{
    public static Color ColourOf(string configuration) => configuration switch
    {
        "none" => Color.FromHex("#d62728"),
        "midas" => Color.FromHex("#2ca02c"),
        "detection" => Color.FromHex("#ff7f0e"),
        "statistical" => Color.FromHex("#9467bd"),
        "password" => Color.FromHex("#1f77b4"),
        "password-table" => Color.FromHex("#17becf"),
        "fallback" => Color.FromHex("#8c564b"),
        _ => Colors.Gray,
    };

    private static readonly Color Missing = Colors.Gray;
    private static readonly Color Broken = Colors.Black;

    /// <summary>Per handler on a log axis: schedules the explorer needed without protection (grey: not found
    /// in its budget), schedules Midas ran (black if one broke), and detection's verdict as a marker.</summary>
    public static void Attacks(List<AttackResult> attacks, string path)
    {
        var plot = new Plot();
        const double floor = -0.5; // log10 of the axis floor (10^-0.5): a bar of 1 schedule stays visible
        var bars = new List<Bar>();
        for (int i = 0; i < attacks.Count; i++)
        {
            var a = attacks[i];
            bars.Add(new Bar
            {
                Position = i - 0.2, Size = 0.35, ValueBase = floor, Value = Math.Log10(a.SchedulesToExploit ?? a.ExploreBudget),
                FillColor = a.SchedulesToExploit != null ? ColourOf("none") : Missing
            });
            bool held = a.MidasViolated == 0 && a.MidasInconclusive == 0;
            bars.Add(new Bar
            {
                Position = i + 0.2, Size = 0.35, ValueBase = floor, Value = Math.Log10(a.MidasHeld + a.MidasViolated + a.MidasInconclusive),
                FillColor = held ? ColourOf("midas") : Broken
            });
        }
        plot.Add.Bars(bars);
        int decades = (int)Math.Ceiling(Math.Log10(Math.Max(10, attacks.Max(a => a.MidasBudget))));
        double top = decades + 0.3;
        var flagged = attacks.Select((a, i) => (a, i)).Where(x => x.a.DetectionFlagged).ToList();
        var missed = attacks.Select((a, i) => (a, i)).Where(x => !x.a.DetectionFlagged).ToList();
        if (flagged.Count > 0)
            plot.Add.Markers(flagged.Select(x => (double)x.i).ToArray(), flagged.Select(_ => top).ToArray(), MarkerShape.FilledTriangleDown, 12, ColourOf("detection"));
        if (missed.Count > 0)
            plot.Add.Markers(missed.Select(x => (double)x.i).ToArray(), missed.Select(_ => top).ToArray(), MarkerShape.Eks, 12, Broken);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "none: schedules until exploited", FillColor = ColourOf("none") });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "none: not exploited within the budget", FillColor = Missing });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "midas: schedules run, all held", FillColor = ColourOf("midas") });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "midas: a schedule violated or inconclusive", FillColor = Broken });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "detection flagged the race", MarkerShape = MarkerShape.FilledTriangleDown, MarkerSize = 12, MarkerFillColor = ColourOf("detection"), MarkerLineColor = ColourOf("detection") });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "detection missed it", MarkerShape = MarkerShape.Eks, MarkerSize = 12, MarkerLineWidth = 1, MarkerLineColor = Broken });
        plot.ShowLegend(Alignment.UpperRight);
        Categories(plot, attacks.Select(a => a.Handler.Replace("DFB_", "")).ToList());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, decades + 1).Select(d => new Tick(d, Math.Pow(10, d).ToString("N0"))).ToArray());
        plot.Axes.Left.Label.Text = "schedules (log scale)";
        plot.Title("double-fetch attacks: schedules to exploit (none) and schedules held (midas)");
        plot.Axes.SetLimitsY(floor, top + 2.2); // room above the markers for the legend
        plot.SavePng(path, 1200, 650);
    }

    /// <summary>Midas's overhead per benchmark in wall and in CPU time: medians with their CIs.</summary>
    public static void MidasCost(List<BenchmarkResult> costs, string path)
    {
        var plot = new Plot();
        var midas = ColourOf("midas");
        OverheadBars(plot, costs.Select(c => c.WallOverheadPercent).ToList(), -0.2, midas, "midas: wall-time overhead vs none (median, CI)");
        OverheadBars(plot, costs.Select(c => c.CpuOverheadPercent).ToList(), 0.2, midas.WithAlpha(0.45), "midas: CPU-time overhead vs none (median, CI)");
        Categories(plot, costs.Select(c => c.Benchmark).ToList());
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        plot.Axes.Left.Label.Text = "overhead (%)";
        plot.Title("cost of Midas per benchmark");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 650);
    }

    /// <summary>Each password mode's host-time overhead against none on both workloads, with CIs.</summary>
    public static void PasswordCost(List<PasswordCostResult> costs, string path)
    {
        var plot = new Plot();
        var modes = costs.Where(c => c.Mode != "none").ToList();
        double width = 0.8 / modes.Count;
        for (int m = 0; m < modes.Count; m++)
        {
            var c = modes[m];
            double offset = -0.4 + width * (m + 0.5);
            var estimates = new[] { c.TreeWallOverheadPercent, c.FarBenchWallOverheadPercent };
            OverheadBars(plot, estimates, offset, ColourOf(c.Mode), $"{c.Mode} (median, CI)", width * 0.9);
        }
        Categories(plot, ["benign tree (2000 nodes)", "far-access micro-benchmark"], rotate: false);
        plot.Add.HorizontalLine(0, 1, Colors.Black);
        plot.Axes.Left.Label.Text = "wall-time overhead vs none (%)";
        plot.Title("cost of the password-protected memory modes");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 600);
    }

    /// <summary>Mean probes until the first success (log scale) against address bits, each seed's count as
    /// a dot, with the expectation of uniform guessing.</summary>
    public static void Entropy(List<EntropyResult> points, string path)
    {
        var plot = new Plot();
        var colour = ColourOf("statistical");
        var runs = points.SelectMany(p => p.ProbesToSuccess.Select(n => (x: (double)p.Bits, y: Math.Log10(n)))).ToList();
        if (runs.Count > 0)
        {
            var dots = plot.Add.Markers(runs.Select(r => r.x).ToArray(), runs.Select(r => r.y).ToArray(), MarkerShape.OpenCircle, 6, colour);
            dots.LegendText = "statistical: probes to the first success, one seed";
        }
        var measured = points.Where(p => p.MeanProbes != null).ToList();
        var mean = plot.Add.Scatter(measured.Select(p => (double)p.Bits).ToArray(), measured.Select(p => Math.Log10(p.MeanProbes!.Value)).ToArray(), colour);
        mean.LegendText = "statistical: mean over the seeds";
        var expected = plot.Add.Scatter(points.Select(p => (double)p.Bits).ToArray(), points.Select(p => Math.Log10(p.ExpectedProbes)).ToArray(), Colors.Black);
        expected.LegendText = "expected: pages / 2 alias pages";
        expected.LinePattern = LinePattern.Dashed;
        plot.Axes.Bottom.Label.Text = "address entropy of the shared part (bits)";
        plot.Axes.Left.Label.Text = "probes (log10)";
        plot.Title("statistical protection: a random prober's probes until it finds a segment");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 600);
    }

    private static void OverheadBars(Plot plot, IReadOnlyList<Lab.Evaluation.Estimate> estimates, double offset, Color colour, string legend, double size = 0.35)
    {
        var bars = estimates.Select((e, i) => new Bar { Position = i + offset, Value = e.Median, Size = size, FillColor = colour }).ToList();
        plot.Add.Bars(bars);
        var errors = plot.Add.ErrorBar(bars.Select(b => b.Position).ToArray(), estimates.Select(e => e.Median).ToArray(), estimates.Select(_ => 0.0).ToArray());
        errors.YErrorNegative = estimates.Select(e => e.Median - e.Low).ToArray();
        errors.YErrorPositive = estimates.Select(e => e.High - e.Median).ToArray();
        errors.Color = Colors.Black;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = legend, FillColor = colour });
    }

    private static void Categories(Plot plot, List<string> labels, bool rotate = true)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(labels.Select((l, i) => new Tick(i, l)).ToArray());
        if (!rotate) return;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 160;
    }
}
