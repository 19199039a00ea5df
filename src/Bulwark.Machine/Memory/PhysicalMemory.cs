using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Memory;

/// <summary>Guest RAM as 4 KiB frames, allocated on demand up to a fixed limit. Frame 0 is never
/// handed out so that a zero frame number can mean "none". Frames carry a reference count because
/// one frame may be mapped in several address spaces (shared memory, and later page versions).</summary>
public sealed class PhysicalMemory
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;

    private readonly byte[]?[] _frames;
    private readonly int[] _refCounts;
    private readonly Stack<uint> _free = new();
    private uint _nextUnused = 1;

    /// <summary>Per frame: set while something must see every write to it (decoded code, an LR
    /// reservation). Such frames are never entered in a write TLB, so every store reaches
    /// <see cref="Watcher"/>.</summary>
    private readonly byte[] _watch;

    /// <summary>Told of every write to a watched frame (from any path: a hart's store, a kernel
    /// copy, a device's DMA) before it happens, and of a watched frame being freed.</summary>
    public IWriteWatcher? Watcher { get; set; }

    public PhysicalMemory(ulong bytes)
    {
        ulong count = (bytes + PageSize - 1) / PageSize + 1;
        if (count > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(bytes), "guest memory too large");
        FrameCount = (uint)count;
        _frames = new byte[]?[count];
        _refCounts = new int[count];
        _watch = new byte[count];
    }

    public uint FrameCount { get; }
    public long FramesInUse { get; private set; }
    public long PeakFramesInUse { get; private set; }

    /// <summary>Allocates a zeroed frame with reference count 1; returns 0 when guest memory is exhausted.</summary>
    public uint Allocate()
    {
        uint pfn;
        if (_free.Count > 0) pfn = _free.Pop();
        else if (_nextUnused < FrameCount) pfn = _nextUnused++;
        else return 0;
        var frame = _frames[pfn];
        if (frame == null) _frames[pfn] = new byte[PageSize];
        else Array.Clear(frame);
        _refCounts[pfn] = 1;
        if (++FramesInUse > PeakFramesInUse) PeakFramesInUse = FramesInUse;
        return pfn;
    }

    public void AddRef(uint pfn) => _refCounts[pfn]++;

    public void Release(uint pfn)
    {
        if (--_refCounts[pfn] > 0) return;
        if (_refCounts[pfn] < 0) throw new InvalidOperationException($"frame {pfn} released twice");
        if (_watch[pfn] != 0) Watcher?.BeforeWatchedWrite(pfn, 0, PageSize);
        _watch[pfn] = 0;
        _free.Push(pfn);
        FramesInUse--;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte[] Frame(uint pfn) => _frames[pfn]!;

    public bool IsWatched(uint pfn) => _watch[pfn] != 0;

    public void Watch(uint pfn, WatchReason reason) => _watch[pfn] |= (byte)reason;

    public void Unwatch(uint pfn, WatchReason reason) => _watch[pfn] &= (byte)~reason;

    public bool IsWatchedFor(uint pfn, WatchReason reason) => (_watch[pfn] & (byte)reason) != 0;

    /// <summary>Every write that does not go through a hart's write TLB must call this first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void BeforeWrite(uint pfn, int offset, int length)
    {
        if (_watch[pfn] != 0) Watcher?.BeforeWatchedWrite(pfn, offset, length);
    }
}

[Flags]
public enum WatchReason : byte
{
    DecodedCode = 1,
    Reservation = 2,
}

public interface IWriteWatcher
{
    void BeforeWatchedWrite(uint pfn, int offset, int length);
}
