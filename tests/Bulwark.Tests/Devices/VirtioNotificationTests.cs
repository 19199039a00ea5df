using Bulwark.Machine.Devices.Virtio;

namespace Bulwark.Tests.Devices;

/// <summary>Used-buffer notification suppression (NO_INTERRUPT, EVENT_IDX's used_event) and the device's
/// avail_event.</summary>
public sealed class VirtioNotificationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void NoInterruptSuppressesTheInterruptButNotTheUsedEntry(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version, accept: ~VirtioFeature.EventIdx);
        h.SetAvailFlags(VirtqFlags.AvailNoInterrupt);
        var r = h.Request(VirtioBlock.TypeIn, 0, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal((ushort)1, h.UsedIdx);
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.Equal(0u, h.Reg(VirtioHarness.RegInterruptStatus));
        Assert.Empty(h.Irq.Levels);

        h.SetAvailFlags(0);
        h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.True(h.Irq.Level);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WithEventIdxTheDeviceInterruptsWhenTheUsedIndexPassesUsedEvent(int version)
    {
        var h = new VirtioHarness(version, latency: new BlockLatency(1_000, 0, 0));
        h.Init(version);
        Assert.True(h.Slot.Queues[0].EventIdx);
        h.SetAvailFlags(VirtqFlags.AvailNoInterrupt);   // ignored with EVENT_IDX
        h.SetUsedEvent(2);                               // "interrupt me when entry 2 is used"
        for (int i = 0; i < 4; i++)
        {
            h.Request(VirtioBlock.TypeIn, (ulong)i, 512);
            h.Kick();
            Assert.Equal((ushort)(i + 1), h.AvailEvent);   // "notify me at the next entry"
            h.Run(1_000);
            Assert.Equal((ushort)(i + 1), h.UsedIdx);
            h.SetReg(VirtioHarness.RegInterruptAck, h.Reg(VirtioHarness.RegInterruptStatus));
        }
        // Interrupts after entry 0 (the first is always sent, as QEMU does) and entry 2 only.
        Assert.Equal([true, false, true, false], h.Irq.Levels);
    }

    [Fact]
    public void WithoutEventIdxUsedEventIsIgnored()
    {
        var h = new VirtioHarness(2, latency: new BlockLatency(1_000, 0, 0));
        h.Init(2, accept: ~VirtioFeature.EventIdx);
        h.SetUsedEvent(5);
        for (int i = 0; i < 3; i++)
        {
            h.Request(VirtioBlock.TypeIn, (ulong)i, 512);
            h.Kick();
            h.Run(1_000);
            h.SetReg(VirtioHarness.RegInterruptAck, h.Reg(VirtioHarness.RegInterruptStatus));
        }
        Assert.Equal(3, h.Irq.Raised);
        Assert.Equal((ushort)0, h.AvailEvent);   // not written either
    }

    [Fact]
    public void UsedEventAcrossSeveralCompletionsInterruptsOnceWhenPassed()
    {
        var h = new VirtioHarness(2, latency: new BlockLatency(1_000, 0, 0));
        h.Init(2);
        h.Request(VirtioBlock.TypeIn, 0, 512);
        h.Kick();
        h.Run(1_000);                                   // the first interrupt
        h.SetReg(VirtioHarness.RegInterruptAck, 1);
        h.SetUsedEvent(4);
        for (int i = 1; i < 4; i++) h.Request(VirtioBlock.TypeIn, (ulong)i, 512);
        h.Kick();
        h.Run(1_000);                                   // used idx 1 → 4: entries 1, 2, 3
        Assert.Equal((ushort)4, h.UsedIdx);
        Assert.False(h.Irq.Level);
        h.Request(VirtioBlock.TypeIn, 4, 512);
        h.Kick();
        h.Run(1_000);                                   // entry 4 is used_event
        Assert.True(h.Irq.Level);
    }
}
