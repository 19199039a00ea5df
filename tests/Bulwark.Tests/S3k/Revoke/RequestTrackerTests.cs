using Bulwark.Machine.Devices.Virtio;
using Bulwark.S3k.Dma;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>Every request ends once: a publication of a head no open request has is a request completed twice.</summary>
public sealed class RequestTrackerTests
{
    [Fact]
    public void ASecondPublicationOfTheSameRequestIsCountedAsCompletedTwice()
    {
        var f = new RevokeFixture(RevokePolicy.None);
        f.OfferIn(RevokeFixture.Target);
        f.Kick();
        f.Run(200_000);
        Assert.Equal((1, 0), (f.Report.Completed, f.Report.CompletedTwice));
        var element = new VirtqueueElement(0, [], [], 0);
        f.Dma.Tracker.Published(f.Slot0, 0, element, 0, failed: false);
        Assert.Equal(1, f.Report.CompletedTwice);
    }

    [Fact]
    public void ADriversOwnResetCancelsItsRequestsAndTheKernelsLosesThem()
    {
        var f = new RevokeFixture(RevokePolicy.None);
        f.OfferIn(RevokeFixture.Target);
        f.Kick();
        f.SetReg(Bulwark.Tests.Devices.VirtioHarness.RegStatus, 0);
        Assert.Equal((1, 0), (f.Report.CancelledByDriver, f.Report.Lost));
    }
}
