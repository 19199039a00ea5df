using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Memory;

/// <summary>A value per frame (indexed 0 to <see cref="Count"/> - 1) whose storage is allocated a chunk
/// of <see cref="ChunkSize"/> frames at a time, when one of them is first written: a machine pays for
/// the frames its guests use, not for its RAM limit. Flat arrays of the limit's length (1 GiB, the
/// default: 262,144 frames) took about 5 MB per machine, zeroed and paged in on every run, and a
/// large-object allocation that set off a full garbage collection about every other run; exploring
/// `midas_write_race.elf` (400 schedules, each a new machine) took 4.6 s against 2.8 s with `--memory 64M`.</summary>
internal sealed class FrameTable<T>
{
    private const int ChunkShift = 9;
    public const int ChunkSize = 1 << ChunkShift;

    private readonly T[]?[] _chunks;

    public FrameTable(uint count)
    {
        Count = count;
        _chunks = new T[]?[(count + ChunkSize - 1) >> ChunkShift];
    }

    public uint Count { get; }

    /// <summary>The value at <paramref name="index"/>; default if nothing in its chunk was ever written.</summary>
    public T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (index >= Count) ThrowOutOfRange(index);
            var chunk = _chunks[index >> ChunkShift];
            return chunk == null ? default! : chunk[index & (ChunkSize - 1)];
        }
    }

    /// <summary>The storage of <paramref name="index"/>, for writing (allocating its chunk if needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T At(uint index)
    {
        if (index >= Count) ThrowOutOfRange(index);
        var chunk = _chunks[index >> ChunkShift] ?? NewChunk(index);
        return ref chunk[index & (ChunkSize - 1)];
    }

    /// <summary>The indices whose chunk has storage (each chunk's every index, written or not), in order.</summary>
    public IEnumerable<uint> Allocated()
    {
        for (uint c = 0; c < _chunks.Length; c++)
        {
            if (_chunks[c] == null) continue;
            uint end = Math.Min(Count, (c + 1) << ChunkShift);
            for (uint i = c << ChunkShift; i < end; i++) yield return i;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T[] NewChunk(uint index) => _chunks[index >> ChunkShift] = new T[ChunkSize];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOutOfRange(uint index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"frame index {index} is outside the table's {Count} frames");
}
