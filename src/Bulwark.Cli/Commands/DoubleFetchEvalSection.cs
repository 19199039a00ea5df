using Bulwark.Cli.Report;
using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Lab.Benchmarks;
using Bulwark.Lab.Evaluation;

namespace Bulwark.Cli.Commands;

/// <summary>The double-fetch part of `bulwark eval`: every /dev/dfbench handler attacked without
/// protection, under Midas and in detection mode, and Midas's cost on the benchmark suite.</summary>
public static class DoubleFetchEvalSection
{
    public const string Section = "Double-fetch attacks and the cost of Midas";

    /// <summary>Attacks every handler; the results and whether each came out as the design says.</summary>
    public static (List<AttackResult> Attacks, bool AllGood) Attacks(DoubleFetchEvaluation evaluation, int budget, ReportParts parts)
    {
        var handlers = DfBenchDevice.Handlers;
        var verdicts = new List<HandlerVerdict>();
        for (int i = 0; i < handlers.Count; i++)
        {
            parts.Progress.Step("double-fetch attacks", handlers[i].Name, i + 1, handlers.Count);
            verdicts.Add(evaluation.Evaluate(handlers[i]));
        }
        var attacks = verdicts.Select(v => new AttackResult(v.Handler.Name, v.Handler.Origin, v.ExploreBudget, v.SchedulesToExploit, v.MidasBudget,
            v.MidasHeld, v.MidasViolated, v.MidasInconclusive, v.MidasFailure, v.Detected, v.BenignFalsePositives, v.BenignUnchanged)).ToList();
        string summary =
            "none: schedules until exploited. midas h/v/i: schedules held / violated / inconclusive. detection: the race " +
            "flagged in an exploit run. benign FP: double fetches detection reported for the benign guest (false positives). " +
            "benign same: the benign guest's output and status are the same with Midas.\n" +
            $"Exploited without protection: {verdicts.Count(v => v.SchedulesToExploit != null)}/{verdicts.Count} (budget {budget} schedules each).\n" +
            $"Held by Midas in every schedule: {verdicts.Count(v => v.MidasStopped)}/{verdicts.Count} ({verdicts.Sum(v => v.MidasInconclusive)} inconclusive schedules).\n" +
            $"Races flagged by detection: {verdicts.Count(v => v.Detected)}/{verdicts.Count}; benign false positives: {verdicts.Sum(v => v.BenignFalsePositives)}.";
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
        bool allGood = verdicts.All(v => v.SchedulesToExploit != null && v.MidasStopped && v.Detected && v.BenignUnchanged);
        return (attacks, allGood);
    }

    /// <summary>Midas against none on every benchmark, interleaved; false if a run exited non-zero.</summary>
    public static (List<BenchmarkResult> Costs, bool AllRan) Costs(IReadOnlyList<BenchmarkCase> cases, int runs, ReportParts parts)
    {
        var costs = new List<BenchmarkResult>();
        for (int i = 0; i < cases.Count; i++)
        {
            parts.Progress.Step("cost of Midas", $"{cases[i].Label} ({runs} runs + warm-up, interleaved)", i + 1, cases.Count);
            var c = ProtectionBenchmark.Compare(cases[i], runs);
            costs.Add(new BenchmarkResult(c.Case.Label, c.Baseline.Syscalls, c.Midas.VersionsCreated, c.Midas.PeakExtraBytes,
                c.Baseline.ExitStatus, c.Midas.ExitStatus, CostSamples.Of(c.Baseline.Cost), CostSamples.Of(c.Midas.Cost),
                c.WallOverheadPercent, c.CpuOverheadPercent, c.InstructionOverheadPercent));
        }
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
        return (costs, costs.All(c => c.ExitStatusNone == 0 && c.ExitStatusMidas == 0));
    }
}
