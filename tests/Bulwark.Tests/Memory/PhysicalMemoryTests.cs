using Bulwark.Machine.Memory;
using Xunit;

namespace Bulwark.Tests.Memory;

/// <summary>The frame pool's per-frame state (frames, reference counts, watch bits) is kept in tables
/// that grow as frames are used: these check that values survive the tables' growth and stay apart, and
/// that a large RAM limit costs a machine nothing up front.</summary>
public class PhysicalMemoryTests
{
    private sealed class Recorder : IWriteWatcher
    {
        public readonly List<(uint Pfn, int Offset, int Length)> Writes = [];
        public readonly List<uint> Released = [];
        public void BeforeWatchedWrite(uint pfn, int offset, int length) => Writes.Add((pfn, offset, length));
        void IWriteWatcher.Released(uint pfn) => Released.Add(pfn);
    }

    [Fact]
    public void Frames_keep_their_own_contents_counts_and_watch_bits_as_the_tables_grow()
    {
        var memory = new PhysicalMemory(8UL << 20);
        var frames = Enumerable.Range(0, 1100).Select(_ => memory.Allocate()).ToArray();
        Assert.Equal(Enumerable.Range(1, 1100).Select(i => (uint)i), frames);
        foreach (uint pfn in frames) memory.Write((ulong)pfn << PhysicalMemory.PageShift, BitConverter.GetBytes(pfn * 7919));
        foreach (uint pfn in frames)
        {
            var back = new byte[4];
            memory.Read((ulong)pfn << PhysicalMemory.PageShift, back);
            Assert.Equal(pfn * 7919, BitConverter.ToUInt32(back));
        }
        // The frames either side of the tables' first two growths (to 512, then 1024 and 2048 entries).
        foreach (uint pfn in new uint[] { 511, 1023 }) memory.AddRef(pfn);
        Assert.Equal([2, 1, 2, 1], new uint[] { 511, 512, 1023, 1024 }.Select(memory.References));

        var recorder = new Recorder();
        memory.Watcher = recorder;
        memory.Watch(512, WatchReason.DecodedCode);
        Assert.False(memory.IsWatched(511));
        Assert.True(memory.IsWatchedFor(512, WatchReason.DecodedCode));
        Assert.False(memory.IsWatchedFor(512, WatchReason.Reservation));
        memory.Write(511UL << PhysicalMemory.PageShift, [1]);
        memory.Write((512UL << PhysicalMemory.PageShift) + 8, [1, 2]);
        Assert.Equal([(512u, 8, 2)], recorder.Writes);

        memory.Release(512);
        Assert.Equal([512u], recorder.Released);
        Assert.False(memory.IsWatched(512));
        memory.Release(511);
        Assert.Equal(1, memory.References(511));
        // A released frame is handed out again, zeroed.
        Assert.Equal(512u, memory.Allocate());
        Assert.Equal(0, memory.Frame(512)[0]);
    }

    [Fact]
    public void A_frame_outside_the_pool_or_never_allocated_is_an_error()
    {
        var memory = new PhysicalMemory(1UL << 20);
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.References(memory.FrameCount));
        Assert.Throws<InvalidOperationException>(() => memory.Frame(1));
        uint pfn = memory.Allocate();
        memory.Release(pfn);
        Assert.Throws<InvalidOperationException>(() => memory.Release(pfn));
    }

    [Fact]
    public void A_machine_with_a_large_ram_limit_allocates_little_until_its_frames_are_used()
    {
        // Warm up the types so that only the machine's own allocation is counted.
        _ = new Bulwark.Machine.Machine(1, 1UL << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var machine = new Bulwark.Machine.Machine(1, 4UL << 30);
        long took = GC.GetAllocatedBytesForCurrentThread() - before;
        // Flat per-frame tables for 4 GiB (1,048,577 frames) took over 20 MB.
        Assert.True(took < 512 * 1024, $"a 4 GiB machine allocated {took} bytes up front");
        uint pfn = machine.Memory.Allocate();
        Assert.Equal(1, machine.Memory.References(pfn));
    }
}
