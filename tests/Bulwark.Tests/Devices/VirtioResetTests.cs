using Bulwark.Machine.Devices.Virtio;
using static Bulwark.Tests.Devices.VirtioHarness;

namespace Bulwark.Tests.Devices;

/// <summary>Reset (Status ← 0, a zero legacy PFN) and queue disabling while requests are in flight: the
/// requests of the old generation are cancelled and never reach RAM or the disk.</summary>
public sealed class VirtioResetTests
{
    private static int DeviceAccesses(VirtioHarness h) => h.Monitor.Accesses.Count(a => a.Device == "virtio0");

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]    // legacy QueuePFN ← 0 resets too
    public void AResetCancelsRequestsInFlight_NoLaterDmaAndNoDiskChange(int version, bool byZeroPfn)
    {
        var h = new VirtioHarness(version, latency: new BlockLatency(10_000, 0, 5_000), seed: 3);
        h.Init(version);
        var diskBefore = h.DiskBytes(0, DiskSectors * 512);
        h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Request(VirtioBlock.TypeOut, 2, 512, new byte[512]);
        h.Request(VirtioBlock.TypeGetId, 0, 20);
        h.Kick();
        h.Run(5_000);
        Assert.Equal(3, h.Block!.InFlight);

        if (byZeroPfn) h.SetReg(RegQueuePfn, 0);
        else h.SetReg(RegStatus, 0);
        Assert.Equal(0u, h.Reg(RegStatus));
        var ram = h.Read(RamBase, (int)RamSize);
        int accesses = DeviceAccesses(h);
        long written = h.Slot.Dma.BytesWritten;

        h.RunUntilIdle();
        Assert.False(h.Machine.Clock.TryPeekNextEvent(out _));  // every completion event has fired
        Assert.True(h.Machine.Clock.Nanoseconds >= 10_000);
        Assert.Equal(accesses, DeviceAccesses(h));             // the device did not touch RAM at all
        Assert.Equal(written, h.Slot.Dma.BytesWritten);
        Assert.Equal(ram, h.Read(RamBase, (int)RamSize));
        Assert.Equal(diskBefore, h.DiskBytes(0, DiskSectors * 512));
        Assert.Equal(0, h.Block.InFlight);
        Assert.False(h.Irq.Level);
        Assert.Equal(3, h.Block.Counters.Single(c => c.Name == "cancelled requests").Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AfterAResetOldRequestsNeverCompleteIntoTheNewRings(int version)
    {
        var h = new VirtioHarness(version, latency: new BlockLatency(10_000, 0, 0));
        h.Init(version);
        var old = h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Kick();
        h.Run(5_000);
        h.SetReg(RegStatus, 0);
        h.Init(version);                                  // same ring addresses, indices back to 0
        var fresh = h.Request(VirtioBlock.TypeIn, 2, 512);
        h.Kick();
        h.Run(5_000);                                     // the old request's time passes first
        Assert.Equal((ushort)0, h.UsedIdx);
        h.Run(5_000);
        Assert.Equal((ushort)1, h.UsedIdx);
        Assert.Equal((fresh.Head, 513u), h.Used(0));
        Assert.Equal(0xff, h.StatusOf(old));
        Assert.All(h.Read(old.Data, 512), b => Assert.Equal(0xaa, b));
        Assert.Equal(h.DiskBytes(2, 512), h.Read(fresh.Data, 512));
        h.RunUntilIdle();
        Assert.Equal((ushort)1, h.UsedIdx);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AfterAResetTheDeviceTouchesNoQueueUntilTheDriverSetsOneUpAgain(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        h.SetReg(RegStatus, 0);
        h.Request(VirtioBlock.TypeIn, 0, 512);        // offered in the old ring
        int accesses = DeviceAccesses(h);
        h.SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver | VirtioStatus.DriverOk);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(accesses, DeviceAccesses(h));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // and enabling it again before the completion time does not revive them
    public void DisablingAQueueDropsWhatIsInFlightOnIt(bool reenable)
    {
        var h = new VirtioHarness(2, latency: new BlockLatency(10_000, 0, 0));
        h.Init(2);
        var r = h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Kick();
        h.SetReg(RegQueueSel, 0);
        h.SetReg(RegQueueReady, 0);
        Assert.Equal(0u, h.Reg(RegQueueReady));
        if (reenable)
        {
            h.SetReg(RegQueueNum, h.QueueSize);
            h.SetReg(RegQueueReady, 1);
            Assert.Equal(1u, h.Reg(RegQueueReady));
        }
        var ram = h.Read(RamBase, (int)RamSize);
        h.RunUntilIdle();
        Assert.Equal(ram, h.Read(RamBase, (int)RamSize));
        Assert.Equal(0xff, h.StatusOf(r));
    }

    [Fact]
    public void ABrokenDeviceDropsWhatWasInFlightBeforeTheError()
    {
        var h = new VirtioHarness(2, latency: new BlockLatency(10_000, 0, 0));
        h.Init(2);
        var good = h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Kick();
        h.Run(1_000);
        var loop = h.TakeDescriptors(1)[0];
        h.SetDesc(loop, h.Header(VirtioBlock.TypeIn, 0), 16, VirtqFlags.DescNext, loop);
        h.Offer(loop);
        h.Kick();
        Assert.True(h.Slot.IsBroken);
        var ram = h.Read(RamBase, (int)RamSize);
        h.RunUntilIdle();
        Assert.Equal(ram, h.Read(RamBase, (int)RamSize));
        Assert.Equal(0xff, h.StatusOf(good));
    }
}
