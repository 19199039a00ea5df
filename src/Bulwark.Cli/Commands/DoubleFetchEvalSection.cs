using Bulwark.Cli.Report;
using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Lab.Benchmarks;
using Bulwark.Lab.Evaluation;

namespace Bulwark.Cli.Commands;

/// <summary>The double-fetch part of `bulwark eval`: every /dev/dfbench handler attacked without
/// protection, under Midas and in detection mode, and Midas's cost on the benchmark suite. The items
/// compute the results; the Show methods turn a complete set into tables and plots.</summary>
public static class DoubleFetchEvalSection
{
    public const string Section = "Double-fetch attacks and the cost of Midas";

    /// <summary>One item per handler: its attack without protection, under Midas and in detection mode.</summary>
    public static IEnumerable<EvalItem> AttackItems(DoubleFetchEvaluation evaluation) =>
        DfBenchDevice.Handlers.Select(h => new EvalItem("double-fetch attacks", h.Name, r =>
        {
            var v = evaluation.Evaluate(h);
            r.Attacks!.Add(new AttackResult(v.Handler.Name, v.Handler.Origin, v.ExploreBudget, v.SchedulesToExploit, v.MidasBudget,
                v.MidasHeld, v.MidasViolated, v.MidasInconclusive, v.MidasFailure, v.Detected, v.BenignFalsePositives, v.BenignUnchanged));
        }));

    /// <summary>One item per benchmark: Midas against none, interleaved.</summary>
    public static IEnumerable<EvalItem> CostItems(IReadOnlyList<BenchmarkCase> cases, int runs) =>
        cases.Select(b => new EvalItem("cost of Midas", $"{b.Label} ({runs} runs + warm-up, interleaved)", r =>
        {
            var c = ProtectionBenchmark.Compare(b, runs);
            r.MidasCosts!.Add(new BenchmarkResult(c.Case.Label, c.Baseline.Syscalls, c.Midas.VersionsCreated, c.Midas.PeakExtraBytes,
                c.Baseline.ExitStatus, c.Midas.ExitStatus, CostSamples.Of(c.Baseline.Cost), CostSamples.Of(c.Midas.Cost),
                c.WallOverheadPercent, c.CpuOverheadPercent, c.InstructionOverheadPercent));
        }));

    /// <summary>Every schedule Midas ran held: none violated, none inconclusive.</summary>
    private static bool MidasStopped(AttackResult a) => a.MidasViolated == 0 && a.MidasInconclusive == 0 && a.MidasHeld == a.MidasBudget;

    /// <summary>The attack tables and plot; whether every handler came out as the design says.</summary>
    public static bool ShowAttacks(List<AttackResult> attacks, int budget, ReportParts parts)
    {
        string summary =
            "none: schedules until exploited. midas h/v/i: schedules held / violated / inconclusive. detection: the race " +
            "flagged in an exploit run. benign FP: double fetches detection reported for the benign guest (false positives). " +
            "benign same: the benign guest's output and status are the same with Midas.\n" +
            $"Exploited without protection: {attacks.Count(a => a.SchedulesToExploit != null)}/{attacks.Count} (budget {budget} schedules each).\n" +
            $"Held by Midas in every schedule: {attacks.Count(MidasStopped)}/{attacks.Count} ({attacks.Sum(a => a.MidasInconclusive)} inconclusive schedules).\n" +
            $"Races flagged by detection: {attacks.Count(a => a.DetectionFlagged)}/{attacks.Count}; benign false positives: {attacks.Sum(a => a.BenignFalsePositives)}.";
        parts.Show(new ReportTable(Section, "attacks", "double-fetch attacks: no protection vs Midas vs detection",
            ["handler", "none", "midas h/v/i", "detection", "benign FP", "benign same"],
            [false, true, true, false, true, false],
            attacks.Select(a => new[]
            {
                a.Handler, a.SchedulesToExploit is { } n ? $"in {n}" : $"not in {a.ExploreBudget}",
                $"{a.MidasHeld}/{a.MidasViolated}/{a.MidasInconclusive}" + (a.MidasViolated == 0 && a.MidasInconclusive == 0 ? "" : " BROKEN"),
                a.DetectionFlagged ? "flagged" : "MISSED", a.BenignFalsePositives.ToString(), a.BenignUnchanged ? "yes" : "NO",
            }).ToList(), summary));
        parts.Show(new ReportTable(Section, "origins", "where each handler's bug comes from", ["handler", "origin"], [false, false],
            attacks.Select(a => new[] { a.Handler, a.Origin }).ToList()));
        parts.Plot(new Figure(Section, "attacks.png", "double-fetch attacks",
            "Per handler (log scale): schedules the explorer needed to exploit it without protection, schedules Midas ran, " +
            "and whether detection mode flagged the race."), path => Figures.Attacks(attacks, path));
        return attacks.All(a => a.SchedulesToExploit != null && MidasStopped(a) && a.DetectionFlagged && a.BenignUnchanged);
    }

    /// <summary>The cost tables and plot; false if a run exited non-zero.</summary>
    public static bool ShowCosts(List<BenchmarkResult> costs, int runs, ReportParts parts)
    {
        parts.Show(new ReportTable(Section, "midas-wall", "cost of Midas: wall time in ms",
            ["benchmark", "none", "midas", "overhead"], [false, true, true, true],
            costs.Select(c => new[] { c.Benchmark, Format.MsCi(c.None.Wall), Format.MsCi(c.Midas.Wall), Format.PercentCi(c.WallOverheadPercent) }).ToList(),
            Format.CiNote(runs)));
        parts.Show(new ReportTable(Section, "midas-cpu", "cost of Midas: process CPU time in ms",
            ["benchmark", "none", "midas", "overhead"], [false, true, true, true],
            costs.Select(c => new[] { c.Benchmark, Format.MsCi(c.None.Cpu), Format.MsCi(c.Midas.Cpu), Format.PercentCi(c.CpuOverheadPercent) }).ToList()));
        parts.Show(new ReportTable(Section, "midas-work", "cost of Midas: guest and kernel work (the seed fixes it)",
            ["benchmark", "guest instr.", "vs none", "syscalls", "versions made", "peak extra KiB"], [false, true, true, true, true, true],
            costs.Select(c => new[]
            {
                c.Benchmark, Format.Count(c.None.MedianInstructions), Format.Percent(c.InstructionOverheadPercent), Format.Count(c.Syscalls),
                Format.Count(c.VersionsCreated), Format.Count(c.PeakExtraBytes / 1024),
            }).ToList()));
        parts.Plot(new Figure(Section, "cost.png", "cost of Midas",
            "Midas's overhead against none per benchmark, in wall and in process CPU time: medians of the per-round ratios, error bars their order-statistic CIs."),
            path => Figures.MidasCost(costs, path));
        return costs.All(c => c.ExitStatusNone == 0 && c.ExitStatusMidas == 0);
    }
}
