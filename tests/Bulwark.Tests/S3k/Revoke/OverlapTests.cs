using Bulwark.Machine.Devices.Virtio;
using Bulwark.S3k;
using Bulwark.S3k.Dma;
using static Bulwark.Tests.S3k.Revoke.RevokeFixture;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>What counts as the device still touching the target (reference §4): the overlap is computed with
/// whole ranges, so a buffer starting below the target and running in counts, as do a chain's later
/// descriptors, an indirect table and its buffers, and rings inside the target; a buffer ending where the
/// target begins does not. Under deny the revoke says which: DMA_BUSY exactly when there is an overlap.
/// And because descriptors can change after any check, every access is checked when it happens.</summary>
public sealed class OverlapTests
{
    private static Err RevokeUnderDeny(Action<RevokeFixture> driver, bool ringsInTarget = false)
    {
        var f = new RevokeFixture(RevokePolicy.Deny, ringsInTarget: ringsInTarget);
        driver(f);
        return f.RevokeTarget();
    }

    [Fact]
    public void NothingInFlightNothingDenied() => Assert.Equal(Err.Success, RevokeUnderDeny(_ => { }));

    [Fact]
    public void ABufferEndingWhereTheTargetBeginsIsNotAnOverlap() =>
        Assert.Equal(Err.Success, RevokeUnderDeny(f => { f.OfferIn(Target - 512); f.Kick(); }));

    [Fact]
    public void ABufferStartingBelowTheTargetAndRunningInIsAnOverlap() =>
        Assert.Equal(Err.DmaBusy, RevokeUnderDeny(f => { f.OfferIn(Target - 256); f.Kick(); }));

    [Fact]
    public void AHitInAChainsSecondDescriptorMadeAvailableButNotYetNotifiedIsAnOverlap() =>
        Assert.Equal(Err.DmaBusy, RevokeUnderDeny(f => f.OfferIn(Target)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnIndirectTableOrTheBuffersItPointsToInTheTargetAreAnOverlap(bool tableInTarget)
    {
        Assert.Equal(Err.DmaBusy, RevokeUnderDeny(f =>
        {
            ulong table = tableInTarget ? Target + 0x1000 : Driver + 0x3000;
            ulong data = tableInTarget ? Driver + 0x4000 : Target + 0x200;
            f.SetDesc(table, 0, f.Header(VirtioBlock.TypeIn, 2), 16, VirtqFlags.DescNext, 1);
            f.SetDesc(table, 1, data, 512, VirtqFlags.DescWrite | VirtqFlags.DescNext, 2);
            f.SetDesc(table, 2, f.StatusByte(), 1, VirtqFlags.DescWrite);
            ushort head = f.TakeDescriptors(1)[0];
            f.SetDesc(f.DescTable, head, table, 48, VirtqFlags.DescIndirect);
            f.Offer(head);
        }));
    }

    [Fact]
    public void RingsInsideTheTargetAreAnOverlapEvenWithNothingInFlight() =>
        Assert.Equal(Err.DmaBusy, RevokeUnderDeny(_ => { }, ringsInTarget: true));

    [Fact]
    public void ScrubResetsTheDeviceWhenItsRingsAreInTheRange()
    {
        var f = new RevokeFixture(RevokePolicy.Scrub, ringsInTarget: true);
        f.OfferIn(Driver + 0x4000);
        f.Kick();
        Ok(f.RevokeTarget());
        Assert.Equal(0u, f.Slot0.Status);
        Assert.Equal("scrub by reset (rings in the range)", f.Kernel.Guard!.Records.Single().Action);
    }

    /// <summary>A descriptor rewritten after the revoke looked at it: the chain pointed at the driver's own
    /// memory when the target was taken, and at the target (now the victim's) when the device popped it.
    /// Only the check at the access itself stops it.</summary>
    [Theory]
    [InlineData(RevokePolicy.None, 512UL)]
    [InlineData(RevokePolicy.Deny, 0UL)]
    [InlineData(RevokePolicy.Quarantine, 0UL)]
    [InlineData(RevokePolicy.Scrub, 0UL)]
    [InlineData(RevokePolicy.Kill, 0UL)]
    [InlineData(RevokePolicy.Reset, 0UL)]
    public void ADescriptorRewrittenAfterTheCheckIsStoppedAtTheAccess(RevokePolicy policy, ulong corrupted)
    {
        var f = new RevokeFixture(policy);
        ulong header = f.Header(VirtioBlock.TypeIn, 3), status = f.StatusByte();
        var ids = f.TakeDescriptors(3);
        f.SetDesc(f.DescTable, ids[0], header, 16, VirtqFlags.DescNext, ids[1]);
        f.SetDesc(f.DescTable, ids[1], Driver + 0x8000, 512, VirtqFlags.DescWrite | VirtqFlags.DescNext, ids[2]);
        f.SetDesc(f.DescTable, ids[2], status, 1, VirtqFlags.DescWrite);
        f.Offer(ids[0]);
        Ok(f.RevokeTarget());
        Ok(f.GiveTargetToVictim());
        f.Fill(Target, 512, 0x5a);
        // The driver points the data descriptor at the target, then notifies (kill left it suspended, but
        // a driver still on its hart goes on until it leaves it).
        if (policy is RevokePolicy.Kill or RevokePolicy.Reset) f.SetReg(Bulwark.Tests.Devices.VirtioHarness.RegStatus, 0);
        f.SetDesc(f.DescTable, ids[1], Target, 512, VirtqFlags.DescWrite | VirtqFlags.DescNext, ids[2]);
        f.Kick();
        f.Run(200_000);
        var r = f.Report;
        Assert.Equal(corrupted, r.CorruptedBytes);
        Assert.Equal(0UL, r.LeakedBytes);
        if (policy is RevokePolicy.Deny or RevokePolicy.Quarantine or RevokePolicy.Scrub)
        {
            Assert.True(r.Refused > 0, "the access should have been refused");
            Assert.Equal(1, r.Lost);
        }
        Assert.Equal(0, r.Backstopped);   // popped after the take: the check's own job, not a policy's failure
        Assert.Empty(f.Dma.Log.CheckAgainstTimeline());
    }

    /// <summary>An OUT chain made available before the revoke and notified after it: the device reads the
    /// victim's bytes and writes them to the disk, where the driver can read them back (a leak).</summary>
    [Theory]
    [InlineData(RevokePolicy.None, 512UL)]
    [InlineData(RevokePolicy.Deny, 0UL)]
    [InlineData(RevokePolicy.Quarantine, 0UL)]
    [InlineData(RevokePolicy.Scrub, 0UL)]
    public void AnOutRequestNotifiedAfterTheHandOverLeaksUnlessChecked(RevokePolicy policy, ulong leaked)
    {
        var f = new RevokeFixture(policy);
        f.OfferOut(Target, 9);
        var revoked = f.RevokeTarget();
        if (revoked == Err.DmaBusy)
        {
            // deny: the chain is in the footprint; the monitor waits, the driver notifies, it completes.
            f.Kick();
            f.Run(200_000);
            Ok(f.RevokeTarget());
        }
        if (f.GiveTargetToVictim() == Err.DmaBusy)
        {
            // quarantine: the chain keeps the range held until the device has done with it.
            f.Kick();
            f.Run(200_000);
            Ok(f.GiveTargetToVictim());
        }
        f.Fill(Target, 512, 0x5a);
        f.Kick();
        f.Run(200_000);
        Assert.True(leaked == f.Report.LeakedBytes, string.Join("\n", f.Dma.Log.Entries.Where(e => e.ForeignBytes > 0)));
        Assert.Equal(leaked != 0, f.Disk.Slice(9 * 512, 512).ToArray().All(b => b == 0x5a));
        Assert.Empty(f.Dma.Log.CheckAgainstTimeline());
    }
}
