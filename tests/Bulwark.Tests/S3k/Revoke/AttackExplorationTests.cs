using Bulwark.Lab.Exploration;
using Bulwark.Lab.Revocation;
using Bulwark.S3k.Dma;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>The attacks of tests/s3k-programs/revoke under the explorer over the board: each run a fresh
/// system whose seed decides which hart runs for how long (so where in the driver's request the revoke
/// lands) and the disk's latencies. Under none every attack must still do damage (else the test of the
/// policies below proves nothing); under every other policy no schedule of the budget may leak or corrupt a
/// byte, complete a request twice, leave a request in flight at the take to the per-access check, or produce
/// a DMA log that disagrees with the ownership timeline, and some schedule must have met the race.</summary>
public sealed class AttackExplorationTests
{
    /// <summary>Schedules per attack and policy here; `bulwark eval` explores more.</summary>
    private const int Budget = 8;

    private static RevocationRunner Runner => new(Corpus.S3kProgramsDirectory);

    private static ExplorationSearch<RevocationRun> Explore(RevocationScenario scenario) =>
        new ScheduleExplorer<RevocationRun>(new S3kRevocationTarget(Runner, scenario), ExplorationStrategy.Random, Budget).Explore();

    /// <summary>Every run of the budget.</summary>
    private static List<RevocationRun> RunAll(RevocationScenario scenario)
    {
        var runs = new List<RevocationRun>();
        new ScheduleExplorer<RevocationRun>(new S3kRevocationTarget(Runner, scenario), ExplorationStrategy.Random, Budget)
            .Explore(each: runs.Add, stopAtFailure: false);
        return runs;
    }

    /// <summary>The damage an attack does when nothing checks: bytes of the victim's memory written or read by
    /// the device after the hand-over; for the stalled disk, which never writes, the victim's bytes its
    /// request can still reach at the end.</summary>
    private static void AssertDamage(RevocationAttack attack, RevocationRun run)
    {
        var r = run.Report;
        if (attack == RevocationAttack.Stall)
            Assert.True(r.ExposedAtEnd > 0, $"seed {run.Seed}: nothing of the victim's was exposed to the stalled request");
        else
            Assert.True(r.LeakedBytes + r.CorruptedBytes > 0 && r.AfterHandOverBytes > 0, $"seed {run.Seed}: {run.Why}");
    }

    public static TheoryData<RevocationAttack> Attacks => [.. Enum.GetValues<RevocationAttack>()];

    public static TheoryData<RevocationAttack, RevokePolicy> AttacksAndPolicies()
    {
        var data = new TheoryData<RevocationAttack, RevokePolicy>();
        foreach (var attack in Enum.GetValues<RevocationAttack>())
            foreach (var policy in new[] { RevokePolicy.Kill, RevokePolicy.Scrub, RevokePolicy.Deny, RevokePolicy.Quarantine, RevokePolicy.Reset })
                data.Add(attack, policy);
        return data;
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void EveryAttackBreaksIsolationUnderNone(RevocationAttack attack)
    {
        var search = Explore(new RevocationScenario(attack, RevokePolicy.None));
        Assert.True(search.Found, $"{attack} did not break isolation under none in {search.SchedulesTried} schedules");
        Assert.Contains($"attack {attack.ToString().ToLowerInvariant()}", search.Failure!.Console);
        AssertDamage(attack, search.Failure);
        Assert.Empty(search.Failure.LogProblems);
    }

    [Theory]
    [MemberData(nameof(AttacksAndPolicies))]
    public void NoScheduleOfTheBudgetBreaksIsolationUnderThePolicy(RevocationAttack attack, RevokePolicy policy)
    {
        var runs = RunAll(new RevocationScenario(attack, policy));
        if (runs.FirstOrDefault(r => r.Violated) is { } broken) Assert.Fail($"seed {broken.Seed}: {broken.Why}\n{broken.Console}");
        Assert.Contains(runs, r => r.Raced);
    }

    /// <summary>The seed's monitor (start address of each queued chain's head only) on the unmodified kernel:
    /// for a buffer starting below the target, a hit in the chain's second descriptor, an indirect table and
    /// rings inside the target it never even sees a conflict, and the device writes into the victim's memory.</summary>
    [Theory]
    [InlineData(RevocationAttack.Crossing)]
    [InlineData(RevocationAttack.Second)]
    [InlineData(RevocationAttack.Indirect)]
    [InlineData(RevocationAttack.Rings)]
    [InlineData(RevocationAttack.Rewrite)]
    public void TheSeedsMonitorMissesWhatItsStartAddressCheckCannotSee(RevocationAttack attack)
    {
        var search = Explore(new RevocationScenario(attack, RevokePolicy.None, SeedMonitor: true));
        Assert.True(search.Found, $"{attack} did not get past the seed's monitor in {search.SchedulesTried} schedules");
        Assert.Contains("monitor seed", search.Failure!.Console);
        AssertDamage(attack, search.Failure);
        Assert.False(search.Failure.SeedSawConflict, "the seed's check should not have seen anything:\n" + search.Failure.Console);
    }

    /// <summary>Where the seed's check can see (whole chains in the target), it does hold the revoke back; but
    /// between its check and the revoke the driver queues the next request.</summary>
    [Fact]
    public void TheSeedsMonitorSeesAChainWhoseHeadIsInTheTarget()
    {
        var runs = RunAll(new RevocationScenario(RevocationAttack.Race, RevokePolicy.None, true));
        Assert.Contains(runs, r => r.SeedSawConflict);
    }

    [Fact]
    public void TheSameSeedRunsTheSame()
    {
        var scenario = new RevocationScenario(RevocationAttack.Race, RevokePolicy.Quarantine);
        var a = Runner.Run(scenario, 5);
        var b = Runner.Run(scenario, 5);
        Assert.Equal(a.Console, b.Console);
        Assert.Equal(a.Report, b.Report);
    }
}
