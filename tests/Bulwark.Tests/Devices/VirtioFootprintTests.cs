using Bulwark.Machine.Devices;
using Bulwark.Machine.Devices.Virtio;

namespace Bulwark.Tests.Devices;

/// <summary>What a kernel must know before giving memory away (issue 9, reference §4): every range a
/// virtio device may still touch — the rings, every descriptor and buffer of each chain made available
/// (a chain's second descriptor and an indirect table and its buffers included), every buffer of a
/// request in flight — and nothing it will no longer touch.</summary>
public sealed class VirtioFootprintTests
{
    private static List<DeviceRange> Footprint(VirtioHarness h)
    {
        var ranges = new List<DeviceRange>();
        h.Slot.AddFootprint(ranges);
        return ranges;
    }

    private static bool Covers(List<DeviceRange> ranges, ulong start, ulong length, bool deviceWrites) =>
        ranges.Any(r => r.Start <= start && start + length <= r.End && r.DeviceWrites == deviceWrites);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RingsAreInTheFootprintOnceTheQueueIsLive(int version)
    {
        var h = new VirtioHarness(version);
        Assert.Empty(Footprint(h));
        h.Init(version);
        var ranges = Footprint(h);
        Assert.True(Covers(ranges, VirtioHarness.DescTable, 16UL * h.QueueSize, false));
        Assert.True(Covers(ranges, h.AvailRing, 6 + 2UL * h.QueueSize, false));
        Assert.True(Covers(ranges, VirtioHarness.UsedRing, 6 + 8UL * h.QueueSize, true));
    }

    [Fact]
    public void AnAvailableChainCountsEveryDescriptorNotOnlyTheHead()
    {
        var h = new VirtioHarness(1);
        h.Init(1);
        ulong first = h.Buffer(16), second = h.Buffer(512), status = h.Buffer(1);
        h.Offer(h.Chain((first, 16, false), (second, 512, true), (status, 1, true)));
        var ranges = Footprint(h);
        Assert.True(Covers(ranges, first, 16, false));
        Assert.True(Covers(ranges, second, 512, true));
        Assert.True(Covers(ranges, status, 1, true));
    }

    [Fact]
    public void AnIndirectTableAndItsBuffersAreInTheFootprint()
    {
        var h = new VirtioHarness(1);
        h.Init(1);
        ulong table = h.Buffer(48), header = h.Header(VirtioBlock.TypeIn, 0), data = h.Buffer(512), status = h.Buffer(1);
        h.SetDesc(table, 0, header, 16, VirtqFlags.DescNext, 1);
        h.SetDesc(table, 1, data, 512, (ushort)(VirtqFlags.DescWrite | VirtqFlags.DescNext), 2);
        h.SetDesc(table, 2, status, 1, VirtqFlags.DescWrite);
        ushort head = h.TakeDescriptors(1)[0];
        h.SetDesc(head, table, 48, VirtqFlags.DescIndirect);
        h.Offer(head);
        var ranges = Footprint(h);
        Assert.True(Covers(ranges, table, 48, false));
        Assert.True(Covers(ranges, data, 512, true));
        Assert.True(Covers(ranges, status, 1, true));
    }

    [Fact]
    public void ARequestInFlightKeepsTheBuffersItWasPoppedWithUntilItCompletes()
    {
        var h = new VirtioHarness(1);
        h.Init(1);
        var r = h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Kick();
        Assert.Equal(1, h.Block!.InFlight);
        // The driver rewrites the data descriptor after notify: the device still writes where it popped.
        ulong elsewhere = h.Buffer(512);
        var ranges = Footprint(h);
        Assert.True(Covers(ranges, r.Data, 512, true));
        Assert.False(Covers(ranges, elsewhere, 512, true));
        h.RunUntilIdle();
        Assert.Equal(0, h.Block.InFlight);
        Assert.DoesNotContain(Footprint(h), x => x.Overlaps(r.Data, r.Data + 512) && x.What.Contains("in flight"));
    }

    [Fact]
    public void AStalledDiskKeepsItsRequestsInFlightUntilReset()
    {
        var h = new VirtioHarness(1, latency: BlockLatency.Stalled);
        h.Init(1);
        var r = h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Kick();
        h.Run(1_000_000_000);
        Assert.Equal(1, h.Block!.InFlight);
        Assert.Equal(0, h.UsedIdx);
        Assert.True(Covers(Footprint(h), r.Data, 512, true));
        h.SetReg(VirtioHarness.RegStatus, 0);
        Assert.Equal(0, h.Block.InFlight);
        Assert.Empty(Footprint(h));
    }

    [Fact]
    public void ABufferWhoseEndWrapsCoversEverythingAboveItsStart()
    {
        var wrapping = DeviceRange.Of(ulong.MaxValue - 15, 4096, true, "wrap");
        Assert.Equal(ulong.MaxValue, wrapping.End);
        Assert.True(wrapping.Overlaps(ulong.MaxValue - 1, ulong.MaxValue));
        Assert.False(wrapping.Overlaps(0, 4096));
        var below = DeviceRange.Of(0x8000_0ff0, 0x20, false, "crossing");
        Assert.True(below.Overlaps(0x8000_1000, 0x8000_2000));
    }
}
