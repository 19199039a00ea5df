using Bulwark.Lab.Exploration;
using Bulwark.Lab.Revocation;
using Bulwark.S3k.Dma;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>The attacks of tests/s3k-programs/revoke under the explorer over the board: each run a fresh
/// system whose seed decides which hart runs for how long (so where in the driver's request the revoke
/// lands) and the disk's latencies. Under none every attack must still break isolation (else the test
/// of the policies below proves nothing); under every other policy no schedule of the budget may leak or
/// corrupt a byte, complete a request twice, or produce a DMA log that disagrees with the ownership timeline.</summary>
public sealed class AttackExplorationTests
{
    /// <summary>Schedules per attack and policy here; `bulwark eval` explores more.</summary>
    private const int Budget = 8;

    private static RevocationRunner Runner => new(Corpus.S3kProgramsDirectory);

    private static ExplorationSearch<RevocationRun> Explore(RevocationScenario scenario, int budget = Budget, bool stopAtFailure = true) =>
        new ScheduleExplorer<RevocationRun>(new S3kRevocationTarget(Runner, scenario), ExplorationStrategy.Random, budget).Explore(stopAtFailure: stopAtFailure);

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
        Assert.Empty(search.Failure.LogProblems);
    }

    [Theory]
    [MemberData(nameof(AttacksAndPolicies))]
    public void NoScheduleOfTheBudgetBreaksIsolationUnderThePolicy(RevocationAttack attack, RevokePolicy policy)
    {
        var search = Explore(new RevocationScenario(attack, policy));
        Assert.False(search.Found, search.Found ? $"seed {search.FailingSeed}: {search.Failure!.Why}\n{search.Failure.Console}" : "");
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
        Assert.False(search.Failure.SeedSawConflict, "the seed's check should not have seen anything:\n" + search.Failure.Console);
    }

    /// <summary>Where the seed's check can see (whole chains in the target), it does hold the revoke back; but
    /// between its check and the revoke the driver queues the next request.</summary>
    [Fact]
    public void TheSeedsMonitorSeesAChainWhoseHeadIsInTheTarget()
    {
        var runs = new List<RevocationRun>();
        new ScheduleExplorer<RevocationRun>(new S3kRevocationTarget(Runner, new RevocationScenario(RevocationAttack.Race, RevokePolicy.None, true)),
            ExplorationStrategy.Random, Budget).Explore(each: runs.Add, stopAtFailure: false);
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
