using Bulwark.Cli.Report;
using Bulwark.Lab.Evaluation;
using Bulwark.Lab.Revocation;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark eval`'s revocation table (issue 9): every attack of tests/s3k-programs/revoke against
/// none, the seed's monitor and every kernel policy, with what broke and what it cost. Printed as two
/// tables (security, availability) so each fits an 80-column terminal.</summary>
public static class RevocationTable
{
    public const string Section = "Revoking a driver's memory under DMA";

    /// <summary>The runner over the built s3k programs, or null (after one error line) when they are not built.</summary>
    public static RevocationRunner? Runner()
    {
        string? programs = Repository.Find(".corpus", "s3k-programs");
        var runner = programs == null ? null : new RevocationRunner(programs);
        if (runner is { Available: true }) return runner;
        Console.Error.WriteLine("bulwark: error: .corpus/s3k-programs/revoke.app*.elf not found; build them with tests/corpora/build.sh");
        return null;
    }

    /// <summary>One item per cell (attack x defence), each over the budget's schedules.</summary>
    public static IEnumerable<EvalItem> Items(RevocationRunner runner, int budget)
    {
        var evaluation = new RevocationEvaluation(runner, budget);
        return RevocationEvaluation.Scenarios.Select(scenario => new EvalItem("revocation", scenario.ToString(), r =>
        {
            var c = evaluation.Evaluate(scenario);
            r.Revocation!.Add(new RevocationResult(AttackName(scenario), scenario.Defence, c.Runs, c.Broken, c.Raced, c.Leaked, c.Corrupted,
                c.AfterHandOver, c.ExposedAtEnd, c.CompletedTwice, c.Lost, c.Failed, c.Completed, c.Refused, c.Backstopped, c.Denials,
                c.MeanLatencyUs, c.MaxLatencyUs, c.NeverAvailable, c.ThroughputMBps, c.LogProblems));
        }));
    }

    private static string AttackName(RevocationScenario s) => s.Attack.ToString().ToLowerInvariant();

    /// <summary>The three tables; whether every cell came out as the design says (a cell results.json names
    /// that is not one of the table's does not).</summary>
    public static bool Show(List<RevocationResult> results, int budget, ReportParts parts)
    {
        var scenarios = RevocationEvaluation.Scenarios;
        var problems = new List<string>();
        var cells = new List<(RevocationScenario, int, int, int)>();
        foreach (var r in results)
        {
            if (scenarios.FirstOrDefault(s => AttackName(s) == r.Attack && s.Defence == r.Defence) is { } scenario) cells.Add((scenario, r.Runs, r.Broken, r.Raced));
            else problems.Add($"{r.Attack} under {r.Defence}: not a cell of the table");
        }
        problems.AddRange(RevocationEvaluation.Problems(cells));
        parts.Show(new ReportTable(Section, "revocation-security", $"revocation under DMA, security: {budget} schedules per cell",
            ["attack", "defence", "broken", "leaked", "corrupt", "handed", "exposed", "twice"],
            [false, false, true, true, true, true, true, true],
            results.Select(r => new[]
            {
                r.Attack, r.Defence, $"{r.Broken}/{r.Runs}", Format.Count((long)r.LeakedBytes), Format.Count((long)r.CorruptedBytes),
                Format.Count((long)r.AfterHandOverBytes), Format.Count((long)r.ExposedAtEndBytes), r.CompletedTwice.ToString(),
            }).ToList(),
            "broken: schedules in which a byte leaked or was corrupted, a request completed twice or the log was inconsistent. " +
            "Bytes, totals over the schedules: leaked, corrupted, of those the ones the driver had held before they changed hands (handed), exposed at the end; " +
            "twice: requests completed twice." + string.Concat(problems.Select(p => "\nrevocation: " + p))));
        parts.Show(new ReportTable(Section, "revocation-race", $"revocation under DMA, how each policy met the race: {budget} schedules per cell",
            ["attack", "defence", "raced", "refused", "backstop"], [false, false, true, true, true],
            results.Select(r => new[] { r.Attack, r.Defence, $"{r.Raced}/{r.Runs}", r.Refused.ToString(), r.Backstopped.ToString() }).ToList(),
            "raced: schedules in which a revoke met memory the device could still touch (a policy cell that never raced proves nothing); " +
            "refused: device accesses the policy refused; backstop: accesses only the per-access check stopped, of requests in flight at " +
            "the take (the policy failing: it must deal with those itself)."));
        parts.Show(new ReportTable(Section, "revocation-availability", $"revocation under DMA, availability: {budget} schedules per cell",
            ["attack", "defence", "lost", "fail", "done", "mean us", "max us", "never", "MB/s"],
            [false, false, true, true, true, true, true, true, true],
            results.Select(r => new[]
            {
                r.Attack, r.Defence, r.Lost.ToString(), r.Failed.ToString(), r.Completed.ToString(),
                r.MeanLatencyUs is { } mean ? mean.ToString("F1") : "-", r.MaxLatencyUs is { } max ? max.ToString("F1") : "-",
                r.NeverAvailable.ToString(), r.ThroughputMBps.ToString("F2"),
            }).ToList(),
            "Totals over the schedules: requests lost, failed and completed (done); revoke latency " +
            "in us until the memory could go to someone else (mean and max over the schedules); never: takes never made " +
            "available; MB/s: mean throughput of completed requests in virtual time."));
        return problems.Count == 0;
    }
}
