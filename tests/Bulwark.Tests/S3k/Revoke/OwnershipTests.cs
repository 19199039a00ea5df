using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Dma;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>Who owns which bytes (<see cref="OwnershipMap"/>): the holders of the leaves of the derivation
/// tree over each byte, and the device's driver is whoever owns its register window.</summary>
public sealed class OwnershipTests
{
    [Fact]
    public void TheHolderOfTheMostDerivedCapabilityOwnsTheBytes()
    {
        var f = new RevokeFixture(RevokePolicy.None);
        Assert.Equal(OwnerSet.Of(1), f.OwnersOf(RevokeFixture.Target));
        Assert.Equal(OwnerSet.Of(1), f.OwnersOf(RevokeFixture.Driver + 0x100));
        Assert.Equal(OwnerSet.Of(0), f.OwnersOf(RevokeFixture.Target + RevokeFixture.TargetSize));   // RAM_MEM's own
        Assert.Equal(OwnerSet.Of(0), f.OwnersOf(0x8001_0000));                                         // the boot PMP
        Assert.Equal(OwnerSet.Kernel, f.OwnersOf(0x8000_0000));                                        // no capability
        Assert.Equal(OwnerSet.Of(1), f.Dma.Devices[0].Driver(f.Dma.Current));
    }

    [Fact]
    public void ARevokeGivesTheBytesBackAndADeriveAndMoveHandsThemOver()
    {
        var f = new RevokeFixture(RevokePolicy.None);
        RevokeFixture.Ok(f.RevokeTarget());
        Assert.Equal(OwnerSet.Of(0), f.OwnersOf(RevokeFixture.Target));
        RevokeFixture.Ok(f.GiveTargetToVictim());
        Assert.Equal(OwnerSet.Of(2), f.OwnersOf(RevokeFixture.Target + 0x10));
        // Every change is in the timeline, in order: the kernel's before boot, the monitor's, the driver's
        // from the setup, the monitor's again from the revoke, the victim's.
        var owners = f.Dma.Log.Timeline.Select(t => t.Map.OwnersOf(RevokeFixture.Target)).ToList();
        Assert.Equal([OwnerSet.Kernel, OwnerSet.Of(0), OwnerSet.Of(1), OwnerSet.Of(0), OwnerSet.Of(2)],
            owners.Where((o, i) => i == 0 || owners[i - 1] != o).ToList());
    }

    [Fact]
    public void TwoPmpCapabilitiesDerivedFromOneMemoryCapabilityShareIt()
    {
        var f = new RevokeFixture(RevokePolicy.None);
        RevokeFixture.Ok(f.Kernel.Ops.Derive(f.Slot(0, RevokeFixture.TargetMem), f.Slot(0, RevokeFixture.Tmp),
            Cap.Pmp(Cap.NapotEncode(RevokeFixture.Target, 0x1000), Rwx.R)));
        Assert.Equal(OwnerSet.Of(0).With(1), f.OwnersOf(RevokeFixture.Target + 0x800));
        Assert.Equal(OwnerSet.Of(1), f.OwnersOf(RevokeFixture.Target + 0x1800));
    }

    [Fact]
    public void AnAccessIsCutWhereItsOwnersChange()
    {
        var f = new RevokeFixture(RevokePolicy.None);
        var pieces = f.Dma.Current.Split(RevokeFixture.Target - 0x100, RevokeFixture.Target + RevokeFixture.TargetSize + 0x100);
        Assert.Equal(2, pieces.Count);
        Assert.Equal(OwnerSet.Of(1), pieces[0].Owners);   // the driver's own memory and its buffers merge
        Assert.Equal(OwnerSet.Of(0), pieces[1].Owners);
        Assert.Equal(RevokeFixture.Target + RevokeFixture.TargetSize, pieces[1].Start);
    }
}
