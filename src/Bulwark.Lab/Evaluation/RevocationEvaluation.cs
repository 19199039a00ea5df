using Bulwark.Lab.Exploration;
using Bulwark.Lab.Revocation;
using Bulwark.S3k.Dma;

namespace Bulwark.Lab.Evaluation;

/// <summary>One cell of the revocation table: an attack against a defence (a kernel policy, or the seed's
/// monitor on the unmodified kernel), over every schedule of the budget (seeds 0 upward). Bytes and
/// requests are totals over the budget; latency and throughput are over the runs that have them.</summary>
public sealed record RevocationCell(
    RevocationScenario Scenario, int Runs, int Raced, int Broken, ulong Leaked, ulong Corrupted, ulong AfterHandOver, ulong ExposedAtEnd,
    int CompletedTwice, int Lost, int Failed, int Completed, int Refused, int Backstopped, int Denials,
    double? MeanLatencyUs, double? MaxLatencyUs, int NeverAvailable, double ThroughputMBps, int LogProblems)
{
    public static RevocationCell Of(RevocationScenario scenario, IReadOnlyList<RevocationRun> runs)
    {
        var reports = runs.Select(r => r.Report).ToList();
        var latencies = reports.Where(r => r.MaxLatencyNs != null).ToList();
        return new RevocationCell(scenario, runs.Count, runs.Count(r => r.Raced), runs.Count(r => r.Violated),
            Sum(reports, r => r.LeakedBytes), Sum(reports, r => r.CorruptedBytes), Sum(reports, r => r.AfterHandOverBytes), Sum(reports, r => r.ExposedAtEnd),
            reports.Sum(r => r.CompletedTwice), reports.Sum(r => r.Lost), reports.Sum(r => r.Failed), reports.Sum(r => r.Completed),
            reports.Sum(r => r.Refused), reports.Sum(r => r.Backstopped), reports.Sum(r => r.Denials),
            latencies.Count > 0 ? latencies.Average(r => r.MeanLatencyNs!.Value) / 1e3 : null,
            latencies.Count > 0 ? latencies.Max(r => (double)r.MaxLatencyNs!.Value) / 1e3 : null,
            reports.Sum(r => r.NeverAvailable), reports.Count > 0 ? reports.Average(r => r.ThroughputMBps) : 0,
            runs.Count(r => r.LogProblems.Count > 0));
    }

    private static ulong Sum(List<DmaReport> reports, Func<DmaReport, ulong> f) => reports.Aggregate(0UL, (s, r) => s + f(r));
}

/// <summary>The revocation table of `bulwark eval` (issue 9): every attack of tests/s3k-programs/revoke against
/// policy none, the seed's monitor, and the kernel policies kill, scrub, deny, quarantine and reset, each over
/// <paramref name="budget"/> schedules of the explorer.</summary>
public sealed class RevocationEvaluation(RevocationRunner runner, int budget)
{
    /// <summary>The table's columns, in order: the two that must fail, then the policies.</summary>
    public static IReadOnlyList<(RevokePolicy Policy, bool Seed)> Defences =>
    [
        (RevokePolicy.None, false), (RevokePolicy.None, true), (RevokePolicy.Kill, false), (RevokePolicy.Scrub, false),
        (RevokePolicy.Deny, false), (RevokePolicy.Quarantine, false), (RevokePolicy.Reset, false),
    ];

    public RevocationCell Evaluate(RevocationScenario scenario)
    {
        var runs = new List<RevocationRun>();
        new ScheduleExplorer<RevocationRun>(new S3kRevocationTarget(runner, scenario), ExplorationStrategy.Random, budget)
            .Explore(each: runs.Add, stopAtFailure: false);
        return RevocationCell.Of(scenario, runs);
    }

    /// <summary>The table's cells in order: every attack, against every defence.</summary>
    public static IReadOnlyList<RevocationScenario> Scenarios =>
        [.. Enum.GetValues<RevocationAttack>().SelectMany(attack => Defences.Select(d => new RevocationScenario(attack, d.Policy, d.Seed)))];

    /// <summary>What the table must show: none breaks on every attack; the seed's monitor on at least the
    /// crossing buffer, the later descriptor, the indirect table and the rings; every kernel policy holds, and
    /// met the race in at least one schedule (else its holding proves nothing).</summary>
    public static List<string> Problems(IEnumerable<(RevocationScenario Scenario, int Runs, int Broken, int Raced)> cells)
    {
        var problems = new List<string>();
        foreach (var (s, runs, broken, raced) in cells)
        {
            bool mustBreak = s.Policy == RevokePolicy.None && (!s.SeedMonitor || s.Attack is RevocationAttack.Crossing or RevocationAttack.Second
                or RevocationAttack.Indirect or RevocationAttack.Rings);
            if (mustBreak && broken == 0) problems.Add($"{s}: the attack did not work");
            if (s.Policy != RevokePolicy.None && broken > 0) problems.Add($"{s}: broken in {broken} of {runs} schedules");
            if (s.Policy != RevokePolicy.None && raced == 0) problems.Add($"{s}: no revoke met a request in {runs} schedules");
        }
        return problems;
    }
}
