using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Memory;

/// <summary>Guest RAM as 4 KiB frames. Two uses:
/// <list type="bullet">
/// <item>a kernel's frame pool (the Linux platform): frames are handed out by <see cref="Allocate"/> up to
/// a fixed limit and carry a reference count, because one frame may be mapped in several address spaces
/// (shared memory, Midas's page versions). Frame 0 is never handed out, so that 0 can mean "none";</item>
/// <item>a board's RAM at a physical address (<see cref="AtAddress"/>): every frame of the range exists
/// (made zeroed on first touch) and nothing is allocated or freed.</item>
/// </list></summary>
public sealed class PhysicalMemory
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;

    private readonly FrameTable<byte[]?> _frames;
    private readonly FrameTable<int> _refCounts;
    private readonly Stack<uint> _free = new();
    private uint _nextUnused = 1;
    private readonly bool _fixed;

    /// <summary>Per frame: set while something must see every write to it (decoded code, an LR
    /// reservation). Such frames are never entered in a write TLB, so every store reaches
    /// <see cref="Watcher"/>.</summary>
    private readonly FrameTable<byte> _watch;

    /// <summary>Told of every write to a watched frame (from any path: a hart's store, a kernel
    /// copy, a device's DMA) before it happens, and of a watched frame being freed.</summary>
    public IWriteWatcher? Watcher { get; set; }

    /// <summary>A frame pool of <paramref name="bytes"/> (frames 1..N).</summary>
    public PhysicalMemory(ulong bytes) : this(0, (bytes + PageSize - 1) / PageSize + 1, fixedLayout: false) { }

    private PhysicalMemory(uint basePfn, ulong count, bool fixedLayout)
    {
        if (count > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(count), "guest memory too large");
        BasePfn = basePfn;
        FrameCount = (uint)count;
        _fixed = fixedLayout;
        _frames = new FrameTable<byte[]?>((uint)count);
        _refCounts = new FrameTable<int>((uint)count);
        _watch = new FrameTable<byte>((uint)count);
    }

    /// <summary>RAM of <paramref name="bytes"/> at physical address <paramref name="baseAddress"/> (page aligned).</summary>
    public static PhysicalMemory AtAddress(ulong baseAddress, ulong bytes)
    {
        if ((baseAddress & (PageSize - 1)) != 0 || (bytes & (PageSize - 1)) != 0 || bytes == 0)
            throw new ArgumentException("RAM base and size must be whole pages");
        if ((baseAddress >> PageShift) + (bytes >> PageShift) > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(bytes), "RAM beyond 2^44 bytes");
        return new PhysicalMemory((uint)(baseAddress >> PageShift), bytes >> PageShift, fixedLayout: true);
    }

    /// <summary>The first frame number; frames are <see cref="BasePfn"/> .. <see cref="BasePfn"/> + <see cref="FrameCount"/> - 1.</summary>
    public uint BasePfn { get; }
    public uint FrameCount { get; }
    public ulong BaseAddress => (ulong)BasePfn << PageShift;
    public ulong Size => (ulong)FrameCount << PageShift;

    /// <summary>Whether frame <paramref name="pfn"/> is RAM (anything else on a bus is a device or nothing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(uint pfn) => pfn - BasePfn < FrameCount;
    public long FramesInUse { get; private set; }
    public long PeakFramesInUse { get; private set; }

    /// <summary>Allocates a zeroed frame with reference count 1; returns 0 when guest memory is exhausted.</summary>
    public uint Allocate()
    {
        if (_fixed) throw new InvalidOperationException("a board's RAM has no frame pool");
        uint pfn;
        if (_free.Count > 0) pfn = _free.Pop();
        else if (_nextUnused < FrameCount) pfn = _nextUnused++;
        else return 0;
        ref var frame = ref _frames.At(pfn);
        if (frame == null) frame = new byte[PageSize];
        else Array.Clear(frame);
        _refCounts.At(pfn) = 1;
        if (++FramesInUse > PeakFramesInUse) PeakFramesInUse = FramesInUse;
        return pfn;
    }

    public void AddRef(uint pfn) => _refCounts.At(pfn)++;

    /// <summary>How many mappings and holders share the frame.</summary>
    public int References(uint pfn) => _refCounts[pfn];

    public void Release(uint pfn)
    {
        ref int references = ref _refCounts.At(pfn);
        if (--references > 0) return;
        if (references < 0) throw new InvalidOperationException($"frame {pfn} released twice");
        if (_watch[pfn] != 0)
        {
            Watcher?.Released(pfn);
            _watch.At(pfn) = 0;
        }
        _free.Push(pfn);
        FramesInUse--;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte[] Frame(uint pfn) => _frames[pfn - BasePfn] ?? Materialize(pfn);

    /// <summary>A board's RAM frame touched for the first time is made here, zeroed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte[] Materialize(uint pfn)
    {
        if (!_fixed) throw new InvalidOperationException($"frame {pfn} is not allocated");
        return _frames.At(pfn - BasePfn) = new byte[PageSize];
    }

    public bool IsWatched(uint pfn) => _watch[pfn - BasePfn] != 0;

    public void Watch(uint pfn, WatchReason reason) => _watch.At(pfn - BasePfn) |= (byte)reason;

    public void Unwatch(uint pfn, WatchReason reason) => _watch.At(pfn - BasePfn) &= (byte)~reason;

    public bool IsWatchedFor(uint pfn, WatchReason reason) => (_watch[pfn - BasePfn] & (byte)reason) != 0;

    /// <summary>Copies RAM at physical address <paramref name="pa"/> into <paramref name="into"/> (the range
    /// must be RAM: the bus checks).</summary>
    public void Read(ulong pa, Span<byte> into)
    {
        for (int done = 0; done < into.Length;)
        {
            ulong at = pa + (ulong)done;
            int offset = (int)(at & (PageSize - 1));
            int chunk = Math.Min(into.Length - done, PageSize - offset);
            Frame((uint)(at >> PageShift)).AsSpan(offset, chunk).CopyTo(into[done..]);
            done += chunk;
        }
    }

    /// <summary>Copies <paramref name="from"/> into RAM at physical address <paramref name="pa"/>, telling the
    /// watcher first as every write must (the range must be RAM: the bus checks).</summary>
    public void Write(ulong pa, ReadOnlySpan<byte> from)
    {
        for (int done = 0; done < from.Length;)
        {
            ulong at = pa + (ulong)done;
            uint pfn = (uint)(at >> PageShift);
            int offset = (int)(at & (PageSize - 1));
            int chunk = Math.Min(from.Length - done, PageSize - offset);
            BeforeWrite(pfn, offset, chunk);
            from.Slice(done, chunk).CopyTo(Frame(pfn).AsSpan(offset, chunk));
            done += chunk;
        }
    }

    /// <summary>Every write that does not go through a hart's write TLB must call this first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void BeforeWrite(uint pfn, int offset, int length)
    {
        if (_watch[pfn - BasePfn] != 0) Watcher?.BeforeWatchedWrite(pfn, offset, length);
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

    /// <summary>A watched frame went back to the pool: whatever was watched there is gone.</summary>
    void Released(uint pfn);
}
