using Bulwark.Cli.Report;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;

namespace Bulwark.Cli.Commands;

/// <summary>The password part of `bulwark eval` (issue 14): attack × mode, each mode's cost on the
/// benign workload and the far-access micro-benchmark, and statistical protection's brute-force success
/// against address entropy.</summary>
public static class PasswordEvalSection
{
    public const string Section = "Password-protected memory";

    public sealed record Results(List<PasswordAttackResult> Attacks, List<PasswordCostResult> Costs, List<EntropyResult> Entropy, bool AsDesigned);

    /// <summary>What the design says each attack must do in each mode (the tests check the same).</summary>
    private static bool MustSucceed(int attack, SharedProtectionMode mode) => attack switch
    {
        0 or 1 or 2 => mode is SharedProtectionMode.None or SharedProtectionMode.Statistical,
        3 => mode is SharedProtectionMode.None,
        _ => mode is SharedProtectionMode.None or SharedProtectionMode.Statistical or SharedProtectionMode.Password,
    };

    public static Results Run(PasswordEvaluation evaluation, int runs, int entropySeeds, int maxBits, ReportParts parts)
    {
        var attacks = Attacks(evaluation, parts);
        var costs = Costs(evaluation, runs, parts);
        var entropy = Entropy(evaluation, entropySeeds, maxBits, parts);
        bool asDesigned = attacks.All(a => a.AsDesigned);
        TextTables.Lines($"Password attacks as designed: {(asDesigned ? "yes" : "NO")}.");
        return new Results(attacks, costs, entropy, asDesigned);
    }

    private static List<PasswordAttackResult> Attacks(PasswordEvaluation evaluation, ReportParts parts)
    {
        var results = new List<PasswordAttackResult>();
        int cells = PasswordEvaluation.Attacks.Count * PasswordEvaluation.Modes.Count;
        for (int a = 0; a < PasswordEvaluation.Attacks.Count; a++)
            foreach (var mode in PasswordEvaluation.Modes)
            {
                parts.Progress.Step("password attacks", $"{PasswordEvaluation.Attacks[a].Name} vs {SharedProtectionModes.Name(mode)}", results.Count + 1, cells);
                var o = evaluation.Attack(a, mode);
                results.Add(new PasswordAttackResult(o.Attack, SharedProtectionModes.Name(mode), o.Succeeded, o.Succeeded == MustSucceed(a, mode), o.Probes,
                    double.IsNaN(o.ProbesPerVirtualSecond) ? null : o.ProbesPerVirtualSecond, o.Blamed));
            }
        parts.Show(new ReportTable(Section, "password-attacks", "password-protected memory: attack x mode",
            ["attack", "mode", "result", "probes", "per virtual s", "blamed", "as designed"], [false, false, false, true, true, false, false],
            results.Select(r => new[]
            {
                ShortName(r.Attack), r.Mode, r.Succeeded ? "WON" : "held", Format.Count(r.Probes),
                r.ProbesPerVirtualSecond is { } rate ? Format.Count((long)Math.Round(rate)) : "-", r.Blamed.Replace(" (", "\n("), r.AsDesigned ? "yes" : "NO",
            }).ToList(),
            "Attacks: " + string.Join("; ", PasswordEvaluation.Attacks.Select(a => a.Name)) + ". WON: the attack succeeded " +
            "(probes: until it did); held: it did not (probes: all it made, per virtual second under the throttle). " +
            "blamed: the users the throttle counted faults against."));
        return results;
    }

    private static List<PasswordCostResult> Costs(PasswordEvaluation evaluation, int runs, ReportParts parts)
    {
        parts.Progress.Step("password costs", $"tree and far bench, {PasswordEvaluation.Modes.Count} modes interleaved, {runs} runs + warm-up", 1, 1);
        var costs = evaluation.Costs(runs);
        var none = costs[0];
        var results = costs.Select(c => new PasswordCostResult(SharedProtectionModes.Name(c.Mode), c.FarAccesses, CostSamples.Of(c.Tree), CostSamples.Of(c.Bench),
            Overhead(c.TreeInstructions, none.TreeInstructions), Overhead(c.BenchInstructions, none.BenchInstructions),
            c.Tree.OverheadPercent(none.Tree, s => s.WallSeconds), c.Bench.OverheadPercent(none.Bench, s => s.WallSeconds))).ToList();
        parts.Show(new ReportTable(Section, "password-instructions", "cost per mode: guest instructions (deterministic)",
            ["mode", "tree instr.", "vs none", "far bench instr.", "vs none", "far accesses"], [false, true, true, true, true, true],
            results.Select(r => new[]
            {
                r.Mode, Format.Count(r.Tree.MedianInstructions), Format.Percent(r.TreeInstructionOverheadPercent),
                Format.Count(r.FarBench.MedianInstructions), Format.Percent(r.FarBenchInstructionOverheadPercent), Format.Count(r.FarAccesses),
            }).ToList()));
        foreach (var (id, name, pick, overhead) in new (string, string, Func<PasswordCostResult, CostSamples>, Func<PasswordCostResult, Lab.Evaluation.Estimate>)[]
                 {
                     ("password-tree-time", "benign tree (2000 nodes)", r => r.Tree, r => r.TreeWallOverheadPercent),
                     ("password-far-time", "far-access micro-benchmark", r => r.FarBench, r => r.FarBenchWallOverheadPercent),
                 })
            parts.Show(new ReportTable(Section, id, $"cost per mode, {name}: host time in ms",
                ["mode", "wall", "CPU", "wall vs none"], [false, true, true, true],
                results.Select(r => new[] { r.Mode, Format.MsCi(pick(r).Wall), Format.MsCi(pick(r).Cpu), Format.PercentCi(overhead(r)) }).ToList(),
                id == "password-far-time" ? Format.CiNote(runs) : null));
        parts.Plot(new Figure(Section, "password-cost.png", "cost of the password modes",
            "Each mode's wall-time overhead against none on both workloads: medians of the per-round ratios, error bars their order-statistic CIs."),
            path => Figures.PasswordCost(results, path));
        return results;
    }

    private static List<EntropyResult> Entropy(PasswordEvaluation evaluation, int seeds, int maxBits, ReportParts parts)
    {
        var points = new List<EntropyResult>();
        int count = (maxBits - SharedLayout.MinAddressBits) / 2 + 1;
        for (int bits = SharedLayout.MinAddressBits; bits <= maxBits; bits += 2)
        {
            parts.Progress.Step("statistical entropy", $"{bits} bits, {seeds} seeds", points.Count + 1, count);
            var p = evaluation.Entropy(bits, seeds);
            points.Add(new EntropyResult(p.Bits, p.Pages, seeds, p.ProbesToSuccess.ToArray(), double.IsNaN(p.Mean) ? null : p.Mean, p.Pages / 2.0));
        }
        parts.Show(new ReportTable(Section, "entropy", $"statistical protection: random prober vs entropy ({seeds} seeds, no throttle)",
            ["bits", "pages", "mean probes to success", "expected", "succeeded"], [true, true, true, true, true],
            points.Select(p => new[]
            {
                p.Bits.ToString(), Format.Count(p.Pages), p.MeanProbes is { } m ? m.ToString("N1", System.Globalization.CultureInfo.InvariantCulture) : "-",
                p.ExpectedProbes.ToString("N1", System.Globalization.CultureInfo.InvariantCulture), $"{p.ProbesToSuccess.Length}/{seeds}",
            }).ToList(), "expected: pages / 2, two one-page aliases among the pages."));
        parts.Plot(new Figure(Section, "statistical-entropy.png", "statistical protection against address entropy",
            "Probes a random prober needed until its first success, per seed and their mean, against the expectation of uniform guessing."),
            path => Figures.Entropy(points, path));
        return points;
    }

    /// <summary>The attack's name without its parameters (the table's note lists them).</summary>
    private static string ShortName(string attack) => attack.Split(" (")[0];

    private static double Overhead(long value, long baseline) => baseline == 0 ? 0 : 100.0 * (value - baseline) / baseline;
}
