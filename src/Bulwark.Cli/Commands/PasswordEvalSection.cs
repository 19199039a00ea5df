using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;
using ScottPlot;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>The password part of `bulwark eval` (issue 14): attack × mode, each mode's cost on the
/// benign workload and the far-access micro-benchmark, and the plot of statistical protection's
/// brute-force success against address entropy.</summary>
public static class PasswordEvalSection
{
    /// <summary>What the design says each attack must do in each mode (the tests check the same).</summary>
    private static bool MustSucceed(int attack, SharedProtectionMode mode) => attack switch
    {
        0 or 1 => mode is SharedProtectionMode.None or SharedProtectionMode.Statistical,
        2 => mode is SharedProtectionMode.None or SharedProtectionMode.Statistical,
        3 => mode is SharedProtectionMode.None,
        _ => mode is SharedProtectionMode.None or SharedProtectionMode.Statistical or SharedProtectionMode.Password,
    };

    /// <summary>Runs it all; false if an attack did something the design does not say.</summary>
    public static bool Run(string guests, string output, int runs, int entropySeeds, int maxBits)
    {
        var evaluation = new PasswordEvaluation(guests);
        var missing = evaluation.MissingGuests().ToList();
        if (missing.Count > 0) throw new FileNotFoundException($"no password-lab guests {string.Join(", ", missing)} in {guests} (run lab/passwords/build.sh)");

        var outcomes = new List<AttackOutcome>();
        bool asDesigned = true;
        var table = new Table().Border(TableBorder.Simple).Title("password-protected memory: attack x mode")
            .AddColumn("attack").AddColumn("mode").AddColumn("result").AddColumn(new TableColumn("probes").RightAligned())
            .AddColumn(new TableColumn("probes / virtual s").RightAligned()).AddColumn("blamed").AddColumn("as designed");
        for (int a = 0; a < PasswordEvaluation.Attacks.Count; a++)
            foreach (var mode in PasswordEvaluation.Modes)
            {
                var o = evaluation.Attack(a, mode);
                outcomes.Add(o);
                bool ok = o.Succeeded == MustSucceed(a, mode);
                asDesigned &= ok;
                table.AddRow(Markup.Escape(o.Attack), SharedProtectionModes.Name(mode), o.Succeeded ? "SUCCEEDED" : "held",
                    o.Succeeded ? $"{o.Probes:N0} to success" : $"{o.Probes:N0}", double.IsNaN(o.ProbesPerVirtualSecond) ? "-" : o.ProbesPerVirtualSecond.ToString("N0"),
                    Markup.Escape(o.Blamed), ok ? "yes" : "NO");
            }
        Consoles.PlainStdout().Write(table);

        var costs = PasswordEvaluation.Modes.Select(m => evaluation.Cost(m, runs)).ToList();
        var baseline = costs[0];
        var cost = new Table().Border(TableBorder.Simple).Title($"cost per mode (host time: median of {runs} run{(runs > 1 ? "s" : "")})")
            .AddColumn("mode").AddColumn(new TableColumn("tree: instructions").RightAligned()).AddColumn(new TableColumn("vs none").RightAligned())
            .AddColumn(new TableColumn("tree: host").RightAligned()).AddColumn(new TableColumn("far bench: instructions").RightAligned())
            .AddColumn(new TableColumn("vs none").RightAligned()).AddColumn(new TableColumn("far bench: host").RightAligned()).AddColumn(new TableColumn("far accesses").RightAligned());
        foreach (var c in costs)
            cost.AddRow(SharedProtectionModes.Name(c.Mode), c.TreeInstructions.ToString("N0"), Percent(c.TreeInstructions, baseline.TreeInstructions),
                $"{c.TreeHostMs:F0} ms", c.BenchInstructions.ToString("N0"), Percent(c.BenchInstructions, baseline.BenchInstructions), $"{c.BenchHostMs:F0} ms",
                c.FarAccesses.ToString("N0"));
        Consoles.PlainStdout().Write(cost);

        var points = new List<EntropyPoint>();
        for (int bits = SharedLayout.MinAddressBits; bits <= maxBits; bits += 2) points.Add(evaluation.Entropy(bits, entropySeeds));
        var entropy = new Table().Border(TableBorder.Simple).Title($"statistical protection: random prober vs address entropy ({entropySeeds} seeds, no throttling)")
            .AddColumn(new TableColumn("bits").RightAligned()).AddColumn(new TableColumn("pages").RightAligned())
            .AddColumn(new TableColumn("mean probes to success").RightAligned()).AddColumn(new TableColumn("expected (pages / 2 alias pages)").RightAligned())
            .AddColumn(new TableColumn("succeeded").RightAligned());
        foreach (var p in points)
            entropy.AddRow(p.Bits.ToString(), p.Pages.ToString("N0"), double.IsNaN(p.Mean) ? "-" : p.Mean.ToString("N1"), (p.Pages / 2.0).ToString("N1"),
                $"{p.ProbesToSuccess.Count}/{entropySeeds}");
        Consoles.PlainStdout().Write(entropy);
        Directory.CreateDirectory(output);
        string plot = Path.Combine(output, "statistical-entropy.png");
        PlotEntropy(points, plot);
        Console.WriteLine($"password attacks as designed: {(asDesigned ? "yes" : "NO")}; plot: {plot}");
        return asDesigned;
    }

    private static string Percent(long value, long baseline) => baseline == 0 ? "-" : $"{100.0 * (value - baseline) / baseline:+0.0;-0.0}%";

    /// <summary>Mean probes until the first success (log scale) against the aliases' address bits, with
    /// the expectation of uniform guessing.</summary>
    private static void PlotEntropy(List<EntropyPoint> points, string path)
    {
        var plot = new Plot();
        var measured = points.Where(p => !double.IsNaN(p.Mean)).ToList();
        var scatter = plot.Add.Scatter(measured.Select(p => (double)p.Bits).ToArray(), measured.Select(p => Math.Log10(p.Mean)).ToArray());
        scatter.LegendText = "measured: mean probes to the first success";
        var expected = plot.Add.Scatter(points.Select(p => (double)p.Bits).ToArray(), points.Select(p => Math.Log10(p.Pages / 2.0)).ToArray());
        expected.LegendText = "expected: pages / 2 alias pages";
        expected.LinePattern = LinePattern.Dashed;
        plot.Axes.Bottom.Label.Text = "address entropy of the shared part (bits)";
        plot.Axes.Left.Label.Text = "probes (log10)";
        plot.Title("statistical protection: a random prober's probes until it finds a segment");
        plot.ShowLegend();
        plot.SavePng(path, 1000, 600);
    }
}
