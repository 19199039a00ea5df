using Bulwark.Machine.Devices.Virtio;
using static Bulwark.Tests.Devices.VirtioHarness;

namespace Bulwark.Tests.Devices;

/// <summary>The virtio-mmio register window: identification, both init sequences, feature negotiation,
/// access widths, config space, interrupts and reset.</summary>
public sealed class VirtioMmioTests
{
    private const ulong BlockFeatures = VirtioBlock.FeatureSegMax | VirtioBlock.FeatureBlockSize | VirtioBlock.FeatureFlush
        | VirtioFeature.IndirectDesc | VirtioFeature.EventIdx;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AnEmptySlotIdentifiesAsVirtioWithDeviceIdZeroAndIgnoresWrites(int version)
    {
        var h = new VirtioHarness(version, emptySlot: true);
        Assert.Equal(VirtioMmio.MagicValue, h.Reg(RegMagic));
        Assert.Equal((uint)version, h.Reg(RegVersion));
        Assert.Equal(0u, h.Reg(RegDeviceId));
        Assert.Equal(VirtioMmio.QemuVendorId, h.Reg(RegVendor));
        h.SetReg(RegStatus, VirtioStatus.Acknowledge);
        h.SetReg(RegQueueNotify, 0);
        Assert.Equal(0u, h.Reg(RegStatus));
        Assert.Equal(0u, h.Reg(RegDeviceFeatures));
        Assert.Equal(0u, h.Reg(RegQueueNumMax));
        Assert.Equal(0u, h.Reg(RegConfig));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ABlockSlotIdentifiesAsQemusVirtioBlock(int version)
    {
        var h = new VirtioHarness(version);
        Assert.Equal(0x74726976u, h.Reg(RegMagic));
        Assert.Equal((uint)version, h.Reg(RegVersion));
        Assert.Equal(2u, h.Reg(RegDeviceId));
        Assert.Equal(0x554d4551u, h.Reg(RegVendor));
        Assert.Equal(0x200ul, h.Slot.Size);
        Assert.Equal(1024u, h.Reg(RegQueueNumMax));   // QEMU's virtio-mmio shows VIRTQUEUE_MAX_SIZE
        h.SetReg(RegQueueSel, 1);                      // virtio-blk has one queue
        Assert.Equal(0u, h.Reg(RegQueueNumMax));
    }

    [Fact]
    public void Version1OffersTheLowFeatureWordOnlyAndTakesDriverFeaturesAtOnce()
    {
        var h = new VirtioHarness(1);
        Assert.Equal(BlockFeatures, h.DeviceFeatures());   // no VERSION_1, high word reads 0
        h.SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver);
        h.SetReg(RegDriverFeatures, (uint)(VirtioFeature.EventIdx | (1UL << 12)));   // MQ is not offered
        Assert.Equal(VirtioFeature.EventIdx, h.Slot.NegotiatedFeatures);
        Assert.True(h.Slot.Queues[0].EventIdx);
    }

    [Fact]
    public void TheLegacyInitOfTheCourseDriverPlacesTheRingsByPfnPageSizeAndAlignment()
    {
        var h = new VirtioHarness(1, queueSize: 8);
        h.InitLegacy(accept: ~(VirtioFeature.EventIdx | VirtioFeature.IndirectDesc));
        var q = h.Slot.Queues[0];
        Assert.True(q.IsLive);
        Assert.Equal((ushort)8, q.Size);
        Assert.Equal(DescTable, q.DescAddress);
        Assert.Equal(DescTable + 128, q.DriverAddress);   // right after 8 descriptors
        Assert.Equal(DescTable + 4096, q.DeviceAddress);  // next 4 KiB boundary: xv6's pages + PGSIZE
        Assert.Equal((uint)(DescTable >> 12), h.Reg(RegQueuePfn));
        Assert.Equal(VirtioStatus.Acknowledge | VirtioStatus.Driver | VirtioStatus.FeaturesOk | VirtioStatus.DriverOk, h.Reg(RegStatus));
        Assert.Equal(VirtioBlock.FeatureSegMax | VirtioBlock.FeatureBlockSize | VirtioBlock.FeatureFlush, h.Slot.NegotiatedFeatures);

        var r = h.Request(VirtioBlock.TypeIn, 3, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.Equal(h.DiskBytes(3, 512), h.Read(r.Data, 512));
    }

    [Fact]
    public void LegacyQueueAlignMovesTheUsedRing()
    {
        var h = new VirtioHarness(1, queueSize: 8);
        h.SetReg(RegGuestPageSize, 4096);
        h.SetReg(RegQueueNum, 8);
        h.SetReg(RegQueueAlign, 64);
        h.SetReg(RegQueuePfn, (uint)(DescTable >> 12));
        // avail ends at 128 + 6 + 16 = 150; the next 64-byte boundary is 192.
        Assert.Equal(DescTable + 192, h.Slot.Queues[0].DeviceAddress);
    }

    [Fact]
    public void Version2NegotiatesThroughFeaturesOkAndOffersVersion1()
    {
        var h = new VirtioHarness(2);
        Assert.Equal(BlockFeatures | VirtioFeature.Version1, h.DeviceFeatures());
        Assert.True(h.InitModern(accept: VirtioFeature.IndirectDesc));
        Assert.Equal(VirtioFeature.IndirectDesc | VirtioFeature.Version1, h.Slot.NegotiatedFeatures);
        Assert.Equal(1u, h.Reg(RegQueueReady));
        Assert.Equal(VirtioStatus.Acknowledge | VirtioStatus.Driver | VirtioStatus.FeaturesOk | VirtioStatus.DriverOk, h.Reg(RegStatus));
        Assert.Equal(0u, h.Reg(RegConfigGeneration));
        Assert.Equal(h.AvailRing, h.Slot.Queues[0].DriverAddress);
        Assert.Equal(UsedRing, h.Slot.Queues[0].DeviceAddress);
    }

    [Fact]
    public void FeaturesOkDoesNotStickForFeaturesTheDeviceDidNotOffer()
    {
        var h = new VirtioHarness(2);
        h.SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver);
        Assert.False(h.Negotiate(VirtioFeature.Version1 | (1UL << 12)));   // MQ: not offered
        Assert.Equal(VirtioStatus.Acknowledge | VirtioStatus.Driver, h.Reg(RegStatus));
        Assert.Equal(0ul, h.Slot.NegotiatedFeatures);
        Assert.Contains("FEATURES_OK refused", h.Trace.ToString());

        h.SetReg(RegStatus, 0);
        h.SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver);
        Assert.False(h.Negotiate(VirtioFeature.EventIdx));                // VERSION_1 left out
        h.SetReg(RegStatus, 0);
        h.SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver);
        Assert.True(h.Negotiate(VirtioFeature.Version1 | VirtioFeature.EventIdx));
        Assert.True(h.Slot.Queues[0].EventIdx);
    }

    [Fact]
    public void LegacyOnlyRegistersDoNothingOnVersion2AndTheOtherWayRound()
    {
        var v2 = new VirtioHarness(2);
        v2.SetReg(RegQueueNum, 16);
        v2.SetReg(RegQueuePfn, (uint)(DescTable >> 12));
        Assert.False(v2.Slot.Queues[0].IsLive);
        Assert.Equal(0u, v2.Reg(RegQueuePfn));

        var v1 = new VirtioHarness(1);
        v1.SetReg(RegQueueDescLow, (uint)DescTable);
        v1.SetReg(RegQueueReady, 1);
        Assert.False(v1.Slot.Queues[0].IsLive);
        Assert.Equal(0u, v1.Reg(RegQueueReady));
    }

    [Fact]
    public void RegistersTakeWordAccessesOnlyAndMisalignedAccessesFault()
    {
        var h = new VirtioHarness(2);
        Assert.True(h.Machine.Bus.TryRead(SlotBase + RegMagic, 1, out ulong b));
        Assert.Equal(0ul, b);                                        // QEMU: wrong size access reads 0
        Assert.True(h.Machine.Bus.TryWrite(SlotBase + RegStatus, 1, VirtioStatus.Acknowledge));
        Assert.Equal(0u, h.Reg(RegStatus));                          // and is ignored
        Assert.True(h.Machine.Bus.TryRead(SlotBase + RegMagic, 8, out ulong pair));
        Assert.Equal(0x74726976ul | 2ul << 32, pair);                // two word reads: magic, version
        Assert.False(h.Machine.Bus.TryRead(SlotBase + 0x002, 4, out _));
        Assert.False(h.Machine.Bus.TryWrite(SlotBase + 0x071, 2, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TheConfigSpaceReadsByteWiseWithCapacitySegMaxAndBlockSize(int version)
    {
        var h = new VirtioHarness(version, disk: PatternDisk(300));
        ulong capacity = 0;
        for (int i = 0; i < 8; i++)
        {
            Assert.True(h.Machine.Bus.TryRead(SlotBase + RegConfig + (ulong)i, 1, out ulong b));
            capacity |= b << (8 * i);
        }
        Assert.Equal(300ul, capacity);
        Assert.True(h.Machine.Bus.TryRead(SlotBase + RegConfig, 8, out ulong whole));
        Assert.Equal(300ul, whole);
        Assert.Equal(254u, h.Reg(RegConfig + 12));                   // seg_max: queue size - 2, as QEMU
        Assert.Equal(512u, h.Reg(RegConfig + 20));                   // blk_size
        Assert.True(h.Machine.Bus.TryRead(SlotBase + RegConfig + 34, 2, out ulong queues));
        Assert.Equal(1ul, queues);
        Assert.Equal(0xffff_ffffu, h.Reg(RegConfig + 0x40));         // past the config: all ones
        h.SetReg(RegConfig, 7);                                      // read-only: ignored
        Assert.Equal(300u, h.Reg(RegConfig));
    }

    [Fact]
    public void AReadOnlyDiskOffersRo()
    {
        var h = new VirtioHarness(2, disk: PatternDisk(8, readOnly: true));
        Assert.NotEqual(0ul, h.DeviceFeatures() & VirtioBlock.FeatureReadOnly);
        Assert.Equal(0ul, new VirtioHarness(2).DeviceFeatures() & VirtioBlock.FeatureReadOnly);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TheInterruptLineFollowsInterruptStatusUntilAcknowledged(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        h.Request(VirtioBlock.TypeFlush, 0, 0);
        h.Kick();
        Assert.False(h.Irq.Level);
        h.RunUntilIdle();
        Assert.True(h.Irq.Level);
        Assert.Equal(VirtioInterrupt.UsedBuffer, h.Reg(RegInterruptStatus));
        h.SetReg(RegInterruptAck, VirtioInterrupt.UsedBuffer);
        Assert.Equal(0u, h.Reg(RegInterruptStatus));
        Assert.False(h.Irq.Level);
        Assert.Equal([true, false], h.Irq.Levels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WritingStatusZeroResetsTheDevice(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        h.Request(VirtioBlock.TypeFlush, 0, 0);
        h.Kick();
        h.RunUntilIdle();
        Assert.True(h.Irq.Level);
        h.SetReg(RegStatus, 0);
        Assert.Equal(0u, h.Reg(RegStatus));
        Assert.Equal(0u, h.Reg(RegInterruptStatus));
        Assert.False(h.Irq.Level);
        Assert.False(h.Slot.Queues[0].IsLive);
        Assert.Equal(0ul, h.Slot.NegotiatedFeatures);
        Assert.Equal((ushort)0, h.Slot.Queues[0].LastAvailIdx);
        if (version == 2) Assert.Equal(0u, h.Reg(RegQueueReady));
        else Assert.Equal(0u, h.Reg(RegQueuePfn));
    }

    [Fact]
    public void ALegacyZeroPfnResetsTheDevice()
    {
        var h = new VirtioHarness(1);
        h.InitLegacy();
        h.SetReg(RegQueuePfn, 0);
        Assert.Equal(0u, h.Reg(RegStatus));
        Assert.False(h.Slot.Queues[0].IsLive);
    }

    [Fact]
    public void NotifyBeforeDriverOkConsumesNothing()
    {
        var h = new VirtioHarness(2);
        Assert.True(h.InitModern(driverOk: false));
        var r = h.Request(VirtioBlock.TypeIn, 0, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal((ushort)0, h.Slot.Queues[0].LastAvailIdx);
        Assert.Equal(0xff, h.StatusOf(r));
        h.SetReg(RegStatus, h.Reg(RegStatus) | VirtioStatus.DriverOk);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
    }

    [Fact]
    public void QueueRingsOutsideRamBreakTheDeviceAtSetup()
    {
        var h = new VirtioHarness(2);
        h.SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver);
        Assert.True(h.Negotiate(VirtioFeature.Version1));
        h.SetReg(RegQueueNum, 16);
        h.SetReg(RegQueueDescLow, 0x1000_0000);   // the UART, not RAM
        h.SetReg(RegQueueDriverLow, (uint)h.AvailRing);
        h.SetReg(RegQueueDeviceLow, (uint)UsedRing);
        h.SetReg(RegQueueReady, 1);
        Assert.False(h.Slot.Queues[0].IsLive);
        Assert.NotEqual(0u, h.Reg(RegStatus) & VirtioStatus.NeedsReset);
        Assert.Contains("Cannot map desc", h.Trace.ToString());
        Assert.False(h.Irq.Level);                // no DRIVER_OK yet: no config interrupt
    }
}
