using Bulwark.Machine.Devices.Virtio;
using Bulwark.S3k;
using Bulwark.S3k.Dma;
using Bulwark.S3k.Processes;
using static Bulwark.Tests.S3k.Revoke.RevokeFixture;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>Each revoke policy on the race the issue is about: an IN request of the driver is in flight into
/// the target when the monitor takes the target back and gives it to the victim, who writes its own data
/// there. The DMA log decides: under none the device's write lands in the victim's memory; under every
/// other policy no byte of it does, and each policy pays its own price (lost or failed requests, latency).</summary>
public sealed class PolicyTests
{
    private const ulong Sector = 3;

    private static RevokeFixture InFlight(RevokePolicy policy, BlockLatency? latency = null)
    {
        var f = new RevokeFixture(policy, latency);
        f.OfferIn(Target, Sector);
        f.Kick();
        Assert.Equal(1, f.Report.Requests);
        return f;
    }

    /// <summary>The victim writes its data into the target and time passes.</summary>
    private static void VictimWritesThenTimePasses(RevokeFixture f)
    {
        f.Fill(Target, 512, 0x5a);
        f.Run(200_000);
    }

    private static void LogAgreesWithTimeline(RevokeFixture f) => Assert.Empty(f.Dma.Log.CheckAgainstTimeline());

    [Fact]
    public void NoneLetsTheDeviceWriteIntoTheVictimsMemory()
    {
        var f = InFlight(RevokePolicy.None);
        Ok(f.RevokeTarget());
        Ok(f.GiveTargetToVictim());
        VictimWritesThenTimePasses(f);
        Assert.True(f.HoldsDiskSector(Target, Sector), "the disk's sector should have landed in the victim's memory");
        var r = f.Report;
        Assert.Equal(512UL, r.CorruptedBytes);
        Assert.Equal(512UL, r.AfterHandOverBytes);
        Assert.Equal(0UL, r.LeakedBytes);
        Assert.Equal(1, r.Completed);
        Assert.Equal(512UL, r.ExposedBytes);
        LogAgreesWithTimeline(f);
    }

    [Fact]
    public void KillSuspendsTheDriverAndResetsTheDeviceFirst()
    {
        var f = InFlight(RevokePolicy.Kill);
        var driver = f.Kernel.Processes[1];
        f.Kernel.Processes.Resume(driver);    // the driver runs when its memory is taken (every process boots suspended)
        Assert.Equal(0UL, driver.State & ProcState.Suspended);
        Ok(f.RevokeTarget());
        Assert.NotEqual(0UL, driver.State & ProcState.Suspended);
        Assert.Equal(0u, f.Slot0.Status);
        Ok(f.GiveTargetToVictim());
        VictimWritesThenTimePasses(f);
        Assert.All(f.Read(Target, 512), b => Assert.Equal(0x5a, b));
        var r = f.Report;
        Assert.Equal(0UL, r.CorruptedBytes + r.LeakedBytes);
        Assert.Equal(1, r.Lost);
        Assert.Equal(0, r.CompletedTwice);
        LogAgreesWithTimeline(f);
    }

    [Fact]
    public void ScrubFailsTheRequestAndZeroesItsBuffer()
    {
        var f = new RevokeFixture(RevokePolicy.Scrub);
        f.Fill(Target, 512, 0x77);                     // the driver's own data in its buffer
        var (_, status) = f.OfferIn(Target, Sector);
        f.Kick();
        Ok(f.RevokeTarget());
        Assert.All(f.Read(Target, 512), b => Assert.Equal(0, b));   // nothing of the driver's reaches the victim
        Assert.Equal(VirtioBlock.StatusIoError, f.Read(status, 1)[0]);
        Assert.Equal(1, f.UsedIdx);
        Ok(f.GiveTargetToVictim());
        VictimWritesThenTimePasses(f);
        Assert.All(f.Read(Target, 512), b => Assert.Equal(0x5a, b));
        var r = f.Report;
        Assert.Equal(0UL, r.CorruptedBytes + r.LeakedBytes);
        Assert.Equal((1, 0, 0), (r.Failed, r.Lost, r.CompletedTwice));
        Assert.Equal(1, f.UsedIdx);                    // the cancelled request never completes a second time
        LogAgreesWithTimeline(f);
    }

    [Fact]
    public void DenyRefusesUntilTheRequestCompletesThenLetsTheRevokeThrough()
    {
        var f = InFlight(RevokePolicy.Deny);
        ulong first = f.Board.Machine.Clock.Nanoseconds;
        Assert.Equal(Err.DmaBusy, f.RevokeTarget());
        Assert.Equal(OwnerSet.Of(1), f.OwnersOf(Target));  // nothing changed hands
        f.Run(200_000);
        Assert.Equal(1, f.UsedIdx);
        Ok(f.RevokeTarget());
        Ok(f.GiveTargetToVictim());
        VictimWritesThenTimePasses(f);
        var r = f.Report;
        Assert.Equal(0UL, r.CorruptedBytes + r.LeakedBytes);
        Assert.Equal((1, 0), (r.Completed, r.Lost));
        Assert.Equal(1, r.Denials);
        Assert.Equal(f.Board.Machine.Clock.Nanoseconds - 200_000 - first, r.MaxLatencyNs);
        LogAgreesWithTimeline(f);
    }

    [Fact]
    public void DenyResetsAStalledDeviceAfterItsBoundSoTheMonitorIsNotBlockedForEver()
    {
        var f = InFlight(RevokePolicy.Deny, BlockLatency.Stalled);
        Assert.Equal(Err.DmaBusy, f.RevokeTarget());
        f.Run(500_000);
        Assert.Equal(Err.DmaBusy, f.RevokeTarget());
        f.Run(600_000);
        Ok(f.RevokeTarget());
        Assert.Equal(0u, f.Slot0.Status);
        var r = f.Report;
        Assert.Equal(1, r.Lost);
        Assert.Equal(2, r.Denials);
        Assert.True(r.MaxLatencyNs >= 1_000_000, $"latency {r.MaxLatencyNs}");
    }

    [Fact]
    public void QuarantineTakesAtOnceButHoldsTheRangeUntilTheRequestCompletes()
    {
        var f = InFlight(RevokePolicy.Quarantine);
        Ok(f.RevokeTarget());
        Assert.True(f.OwnersOf(Target).Quarantined);
        Assert.Equal(Err.DmaBusy, f.GiveTargetToVictim());   // no derive into quarantine
        f.Run(200_000);                                      // the device completes into the quarantine
        Assert.Equal(1, f.UsedIdx);
        Assert.False(f.OwnersOf(Target).Quarantined);
        Ok(f.GiveTargetToVictim());
        VictimWritesThenTimePasses(f);
        Assert.All(f.Read(Target, 512), b => Assert.Equal(0x5a, b));
        var r = f.Report;
        Assert.Equal(0UL, r.CorruptedBytes + r.LeakedBytes);
        Assert.Equal((1, 0, 0), (r.Completed, r.Lost, r.NeverAvailable));
        Assert.True(r.MaxLatencyNs > 0);
        LogAgreesWithTimeline(f);
    }

    [Fact]
    public void QuarantineAlsoBlocksMovingAndLoadingTheRange()
    {
        var f = InFlight(RevokePolicy.Quarantine);
        Ok(f.RevokeTarget());
        // The monitor's MEMORY capability of the target may not go to the victim either.
        Assert.Equal(Err.DmaBusy, f.Kernel.Ops.Move(f.Slot(0, TargetMem), f.Slot(2, 5)));
        f.Run(200_000);
        Ok(f.Kernel.Ops.Move(f.Slot(0, TargetMem), f.Slot(2, 5)));
    }

    [Fact]
    public void ResetCancelsTheRequestBeforeTheMemoryChangesHands()
    {
        var f = InFlight(RevokePolicy.Reset);
        Ok(f.RevokeTarget());
        Assert.Equal(0u, f.Slot0.Status);
        Ok(f.GiveTargetToVictim());
        VictimWritesThenTimePasses(f);
        Assert.All(f.Read(Target, 512), b => Assert.Equal(0x5a, b));
        var r = f.Report;
        Assert.Equal(0UL, r.CorruptedBytes + r.LeakedBytes);
        Assert.Equal((0, 1, 0), (r.Completed, r.Lost, r.CompletedTwice));
        Assert.DoesNotContain(f.Dma.Log.Entries, e => e.Time > f.Dma.Log.Timeline[1].Since && e.IsWrite);
        LogAgreesWithTimeline(f);
    }
}
