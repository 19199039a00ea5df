using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Memory;

/// <summary>A value per frame (indexed 0 to <see cref="Count"/> - 1) in an array that grows, by doubling,
/// to cover the highest frame written: a machine pays for the frames its guests use, not for its RAM
/// limit. Arrays of the limit's length (1 GiB, the default: 262,144 frames) took about 5 MB per machine,
/// zeroed and paged in on every run, and were large objects that set off a full garbage collection about
/// once a run; exploring `midas_write_race.elf` (400 schedules, each a new machine) took 4.6 s against
/// 2.8 s with `--memory 64M`. A read stays one array access: a table in chunks cost a second dependent
/// load on every frame look-up, which the kernel's page-table walks make four times per user access
/// (writev of 64 iovecs to /dev/null, 200,000 calls: 1,071 and 1,202 ms against 994 and 996 ms).</summary>
internal sealed class FrameTable<T>
{
    private const int FirstLength = 512;

    private T[] _values = [];

    public FrameTable(uint count) => Count = count;

    public uint Count { get; }

    /// <summary>The value at <paramref name="index"/>; default if it was never written.</summary>
    public T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var values = _values;
            int i = (int)index;
            return (uint)i < (uint)values.Length ? values[i] : Unwritten(index);
        }
    }

    /// <summary>The storage of <paramref name="index"/>, for writing (growing the table if needed). The
    /// reference is good until the next write to an index past the table's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T At(uint index)
    {
        var values = _values;
        int i = (int)index;
        if ((uint)i >= (uint)values.Length) values = Grow(index);
        return ref values[i];
    }

    /// <summary>How many indices have storage (from 0): the values past it are all default.</summary>
    public int Length => _values.Length;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T[] Grow(uint index)
    {
        if (index >= Count) ThrowOutOfRange(index);
        long length = Math.Max(FirstLength, (long)_values.Length * 2);
        while (length <= index) length *= 2;
        Array.Resize(ref _values, (int)Math.Min(length, Count));
        return _values;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T Unwritten(uint index)
    {
        if (index >= Count) ThrowOutOfRange(index);
        return default!;
    }

    private void ThrowOutOfRange(uint index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"frame index {index} is outside the table's {Count} frames");
}
