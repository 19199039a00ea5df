using Bulwark.Machine.Devices.Virtio;

namespace Bulwark.Tests.Devices;

/// <summary>Requests stay in flight for a seeded latency of virtual time: nothing of a request reaches
/// RAM before it completes, several complete independently and in completion order, and the seed alone
/// fixes the completion times.</summary>
public sealed class VirtioInFlightTests
{
    [Fact]
    public void ARequestCompletesExactlyWhenItsLatencyHasPassed()
    {
        var h = new VirtioHarness(2, latency: new BlockLatency(10_000, 1_000, 0));
        h.Init(2);
        h.Run(5_000);
        var r = h.Request(VirtioBlock.TypeIn, 0, 1024);   // 10 µs + 2 sectors × 1 µs
        h.Kick();
        Assert.Equal(1, h.Block!.InFlight);
        h.Run(11_999);
        Assert.Equal((ushort)0, h.UsedIdx);
        Assert.Equal(0xff, h.StatusOf(r));
        Assert.All(h.Read(r.Data, 1024), b => Assert.Equal(0xaa, b));   // no data before completion
        Assert.False(h.Irq.Level);
        h.Run(1);
        Assert.Equal((ushort)1, h.UsedIdx);
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.True(h.Irq.Level);
        Assert.Equal(0, h.Block.InFlight);
    }

    [Fact]
    public void AWriteReachesTheDiskOnlyAtCompletion()
    {
        var h = new VirtioHarness(2, latency: new BlockLatency(10_000, 0, 0));
        h.Init(2);
        var before = h.DiskBytes(4, 512);
        var w = h.Request(VirtioBlock.TypeOut, 4, 512, new byte[512]);
        h.Kick();
        h.Run(9_999);
        Assert.Equal(before, h.DiskBytes(4, 512));
        h.Run(1);
        Assert.Equal(new byte[512], h.DiskBytes(4, 512));
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(w));
    }

    [Fact]
    public void TheDeviceReadsAWritesDataAtPop_ChangingTheBufferLaterChangesNothing()
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var data = Enumerable.Repeat((byte)0x5a, 512).ToArray();
        var w = h.Request(VirtioBlock.TypeOut, 3, 512, data);
        h.Kick();
        h.Write(w.Data, new byte[512]);              // the driver scribbles on it while in flight
        h.Write(w.Header, new byte[16]);
        h.RunUntilIdle();
        Assert.Equal(data, h.DiskBytes(3, 512));
    }

    /// <summary>Steps the clock 1 µs at a time and notes when each used entry appears.</summary>
    private static List<(uint Head, ulong At)> Completions(ulong seed, int requests)
    {
        var h = new VirtioHarness(2, seed: seed, latency: new BlockLatency(1_000, 0, 200_000));
        h.Init(2, accept: ~VirtioFeature.EventIdx);
        var heads = Enumerable.Range(0, requests).Select(i => h.Request(VirtioBlock.TypeIn, (ulong)i, 512).Head).ToList();
        h.Kick();
        Assert.Equal(requests, h.Block!.InFlight);
        var seen = new List<(uint, ulong)>();
        while (seen.Count < requests)
        {
            Assert.True(h.Machine.Clock.Nanoseconds < 1_000_000, "requests never completed");
            h.Run(1_000);
            while (seen.Count < h.UsedIdx) seen.Add((h.Used(seen.Count).Id, h.Machine.Clock.Nanoseconds));
        }
        Assert.Equal(heads.Order(), seen.Select(s => (ushort)s.Item1).Order());
        return seen;
    }

    [Fact]
    public void SeveralRequestsAreInFlightAtOnceAndLandInTheUsedRingInCompletionOrder()
    {
        var seen = Completions(seed: 7, requests: 5);
        var times = seen.Select(s => s.At).ToList();
        Assert.Equal(times.Order(), times);                                   // ring order = completion order
        Assert.NotEqual(seen.Select(s => s.Head).Order(), seen.Select(s => s.Head)); // not submission order
        Assert.True(times.Distinct().Count() > 1);
    }

    [Fact]
    public void TheSameSeedGivesTheSameCompletionsAndAnotherSeedOthers()
    {
        Assert.Equal(Completions(seed: 42, requests: 5), Completions(seed: 42, requests: 5));
        Assert.NotEqual(Completions(seed: 42, requests: 5), Completions(seed: 43, requests: 5));
    }

    [Fact]
    public void AFlushCompletesNoEarlierThanTheWritesBeforeIt()
    {
        var h = new VirtioHarness(2, latency: new BlockLatency(1_000, 100_000, 0));
        h.Init(2, accept: ~VirtioFeature.EventIdx);
        var w = h.Request(VirtioBlock.TypeOut, 0, 4096, new byte[4096]);   // 8 sectors: 801 µs
        var f = h.Request(VirtioBlock.TypeFlush, 0, 0);                       // alone it would take 1 µs
        h.Kick();
        h.Run(100_000);
        Assert.Equal((ushort)0, h.UsedIdx);
        h.RunUntilIdle();
        Assert.Equal(w.Head, (ushort)h.Used(0).Id);
        Assert.Equal(f.Head, (ushort)h.Used(1).Id);
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(f));
    }

    [Fact]
    public void RequestsOfferedLaterArePoppedAtTheirOwnNotify()
    {
        var h = new VirtioHarness(1, latency: new BlockLatency(10_000, 0, 0));
        h.InitLegacy();
        var a = h.Request(VirtioBlock.TypeIn, 0, 512);
        h.Kick();
        h.Run(5_000);
        var b = h.Request(VirtioBlock.TypeIn, 1, 512);
        h.Run(5_000);                                  // a completes; b was never notified
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(a));
        Assert.Equal(0xff, h.StatusOf(b));
        h.Kick();
        h.Run(10_000);
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(b));
    }
}
