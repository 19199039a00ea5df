namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>The shared part's password-protected segments, common to every process and hart (the
/// hardware's table of segments, as a page table is for the private part), with the unit's counters.</summary>
public sealed class FarMemory
{
    private readonly List<FarSegment> _segments = [];
    private FarSegment? _last;

    public IReadOnlyList<FarSegment> Segments => _segments;

    /// <summary>Far loads and stores executed (loadpv counts as one).</summary>
    public long FarAccesses { get; internal set; }
    /// <summary>Password checks that failed: mismatches, stale shadows and pointers that failed verification.</summary>
    public long ChecksFailed { get; internal set; }

    public void Add(FarSegment segment)
    {
        foreach (var s in _segments)
            if (segment.Base < s.End && s.Base < segment.End) throw new ArgumentException("segments overlap");
        _segments.Add(segment);
        _segments.Sort((a, b) => a.Base.CompareTo(b.Base));
    }

    public void Remove(FarSegment segment)
    {
        _segments.Remove(segment);
        if (_last == segment) _last = null;
    }

    /// <summary>The segment holding <paramref name="va"/>, or null.</summary>
    public FarSegment? Find(ulong va)
    {
        if (_last is { } last && last.Contains(va)) return last;
        int lo = 0, hi = _segments.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var s = _segments[mid];
            if (va < s.Base) hi = mid - 1;
            else if (va >= s.End) lo = mid + 1;
            else return _last = s;
        }
        return null;
    }
}
