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

    /// <summary>What the design says each attack must do in each mode (the tests check the same).</summary>
    private static bool MustSucceed(int attack, SharedProtectionMode mode) => attack switch
    {
        0 or 1 or 2 => mode is SharedProtectionMode.None or SharedProtectionMode.Statistical,
        3 => mode is SharedProtectionMode.None,
        _ => mode is SharedProtectionMode.None or SharedProtectionMode.Statistical or SharedProtectionMode.Password,
    };

    /// <summary>One item per attack and mode, one for the costs (the modes are measured interleaved, so
    /// together), one per entropy point.</summary>
    public static IEnumerable<EvalItem> Items(PasswordEvaluation evaluation, EvalSettings s)
    {
        for (int a = 0; a < PasswordEvaluation.Attacks.Count; a++)
            foreach (var mode in PasswordEvaluation.Modes)
            {
                int attack = a;
                yield return new EvalItem("password attacks", $"{PasswordEvaluation.Attacks[a].Name} vs {SharedProtectionModes.Name(mode)}", r =>
                {
                    var o = evaluation.Attack(attack, mode);
                    r.PasswordAttacks!.Add(new PasswordAttackResult(o.Attack, SharedProtectionModes.Name(mode), o.Succeeded, o.Succeeded == MustSucceed(attack, mode),
                        o.Probes, double.IsNaN(o.ProbesPerVirtualSecond) ? null : o.ProbesPerVirtualSecond, o.Blamed));
                });
            }
        yield return new EvalItem("password costs", $"tree and far bench, {PasswordEvaluation.Modes.Count} modes interleaved, {s.Runs} runs + warm-up",
            r => r.PasswordCosts!.AddRange(Costs(evaluation.Costs(s.Runs))));
        for (int bits = SharedLayout.MinAddressBits; bits <= s.EntropyMaxBits; bits += 2)
        {
            int b = bits;
            yield return new EvalItem("statistical entropy", $"{bits} bits, {s.EntropySeeds} seeds", r =>
            {
                var p = evaluation.Entropy(b, s.EntropySeeds);
                r.Entropy!.Add(new EntropyResult(p.Bits, p.Pages, s.EntropySeeds, p.ProbesToSuccess.ToArray(), double.IsNaN(p.Mean) ? null : p.Mean, p.Pages / 2.0));
            });
        }
    }

    private static IEnumerable<PasswordCostResult> Costs(IReadOnlyList<ModeCost> costs)
    {
        var none = costs[0];
        return costs.Select(c => new PasswordCostResult(SharedProtectionModes.Name(c.Mode), c.FarAccesses, CostSamples.Of(c.Tree), CostSamples.Of(c.Bench),
            Overhead(c.TreeInstructions, none.TreeInstructions), Overhead(c.BenchInstructions, none.BenchInstructions),
            c.Tree.OverheadPercent(none.Tree, s => s.WallSeconds), c.Bench.OverheadPercent(none.Bench, s => s.WallSeconds)));
    }

    /// <summary>The part's tables and plots; whether every attack came out as the design says.</summary>
    public static bool Show(List<PasswordAttackResult> attacks, List<PasswordCostResult> costs, List<EntropyResult> entropy, EvalSettings s, ReportParts parts)
    {
        ShowAttacks(attacks, parts);
        ShowCosts(costs, s.Runs, parts);
        ShowEntropy(entropy, s.EntropySeeds, parts);
        bool asDesigned = attacks.All(a => a.AsDesigned);
        TextTables.Lines($"Password attacks as designed: {(asDesigned ? "yes" : "NO")}.");
        return asDesigned;
    }

    private static void ShowAttacks(List<PasswordAttackResult> results, ReportParts parts) =>
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

    private static void ShowCosts(List<PasswordCostResult> results, int runs, ReportParts parts)
    {
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
    }

    private static void ShowEntropy(List<EntropyResult> points, int seeds, ReportParts parts)
    {
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
    }

    /// <summary>The attack's name without its parameters (the table's note lists them).</summary>
    private static string ShortName(string attack) => attack.Split(" (")[0];

    private static double Overhead(long value, long baseline) => baseline == 0 ? 0 : 100.0 * (value - baseline) / baseline;
}
