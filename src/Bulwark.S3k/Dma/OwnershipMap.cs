using Bulwark.S3k.Capabilities;

namespace Bulwark.S3k.Dma;

/// <summary>A stretch of the physical address space with one owner.</summary>
public readonly record struct OwnedPiece(ulong Start, ulong End, OwnerSet Owners)
{
    public ulong Length => End - Start;
}

/// <summary>Who owns every byte of the address space at one moment, from the capability table.
///
/// <para><b>Owner.</b> A byte's owners are the holders of the capabilities that are the leaves of the
/// derivation tree over that byte: every MEMORY or PMP capability covering the byte none of whose
/// descendants (what revoking it would delete, <see cref="CapRanges.Descendants"/>) covers it. A monitor that
/// derived a MEMORY capability and from it a PMP capability it gave to a driver no longer owns those
/// bytes; the driver does. Two PMP capabilities derived side by side from one MEMORY capability (a shared
/// page) make both holders owners. A MEMORY capability counts as much as a PMP one: its holder may load
/// the bytes into its PMP at any time. Bytes no capability covers are the kernel's; bytes in the kernel's
/// quarantine (<see cref="Quarantine"/>) are nobody's but the device's.</para>
///
/// <para>Immutable: a DMA log entry keeps the map it was tagged with, so the log can be checked against
/// the ownership timeline afterwards.</para></summary>
public sealed class OwnershipMap
{
    private readonly OwnedPiece[] _pieces;   // sorted, disjoint, only owned stretches (no kernel pieces)

    private OwnershipMap(OwnedPiece[] pieces, int version)
    {
        _pieces = pieces;
        Version = version;
    }

    /// <summary>Which ownership this is in the run's timeline (0, 1, 2...).</summary>
    public int Version { get; }

    public IReadOnlyList<OwnedPiece> Pieces => _pieces;

    /// <summary>The map of <paramref name="table"/>, with <paramref name="quarantined"/> ranges overlaid.</summary>
    public static OwnershipMap Build(CapTable table, IEnumerable<(ulong Start, ulong End)> quarantined, int version)
    {
        // Each capability's leaf stretches: its range minus its descendants' ranges.
        var leaves = new List<(ulong Start, ulong End, int Pid)>();
        for (int c = 0; c < table.Length; c++)
        {
            if (CapRanges.Of(table.Cap(c)) is not { } range || range.Start >= range.End) continue;
            var covered = CapRanges.Descendants(table, c).Select(d => CapRanges.Of(table.Cap(d))!.Value).ToList();
            foreach (var (s, e) in Subtract(range, covered)) leaves.Add((s, e, table.Pid(c)));
        }
        var q = quarantined.Where(r => r.Start < r.End).ToList();
        // Cut the address space at every boundary and give each elementary stretch its owners.
        var cuts = leaves.SelectMany(l => new[] { l.Start, l.End }).Concat(q.SelectMany(r => new[] { r.Start, r.End }))
            .Distinct().Order().ToArray();
        var pieces = new List<OwnedPiece>();
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            ulong s = cuts[i], e = cuts[i + 1];
            OwnerSet owners;
            if (q.Any(r => r.Start <= s && e <= r.End)) owners = OwnerSet.Quarantine;
            else
            {
                ulong pids = 0;
                foreach (var l in leaves)
                    if (l.Start <= s && e <= l.End && l.Pid < OwnerSet.MaxPids) pids |= 1UL << l.Pid;
                if (pids == 0) continue;
                owners = new OwnerSet(pids);
            }
            if (pieces.Count > 0 && pieces[^1].End == s && pieces[^1].Owners == owners) pieces[^1] = pieces[^1] with { End = e };
            else pieces.Add(new OwnedPiece(s, e, owners));
        }
        return new OwnershipMap([.. pieces], version);
    }

    private static IEnumerable<(ulong, ulong)> Subtract((ulong Start, ulong End) range, List<(ulong Start, ulong End)> holes)
    {
        ulong at = range.Start;
        foreach (var h in holes.Where(h => h.Start < range.End && range.Start < h.End).OrderBy(h => h.Start))
        {
            if (h.Start > at) yield return (at, h.Start);
            at = Math.Max(at, h.End);
            if (at >= range.End) yield break;
        }
        if (at < range.End) yield return (at, range.End);
    }

    /// <summary>The owners of the byte at <paramref name="address"/>.</summary>
    public OwnerSet OwnersOf(ulong address)
    {
        int lo = 0, hi = _pieces.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (address < _pieces[mid].Start) hi = mid - 1;
            else if (address >= _pieces[mid].End) lo = mid + 1;
            else return _pieces[mid].Owners;
        }
        return OwnerSet.Kernel;
    }

    /// <summary>[start, end) cut where its owners change, kernel stretches included.</summary>
    public List<OwnedPiece> Split(ulong start, ulong end)
    {
        var result = new List<OwnedPiece>(2);
        ulong at = start;
        foreach (var p in _pieces)
        {
            if (p.End <= at) continue;
            if (p.Start >= end) break;
            if (p.Start > at) result.Add(new OwnedPiece(at, p.Start, OwnerSet.Kernel));
            ulong s = Math.Max(at, p.Start), e = Math.Min(end, p.End);
            result.Add(new OwnedPiece(s, e, p.Owners));
            at = e;
        }
        if (at < end) result.Add(new OwnedPiece(at, end, OwnerSet.Kernel));
        return result;
    }

    /// <summary>The stretches of [start, end) that some process of <paramref name="who"/> owns.</summary>
    public IEnumerable<(ulong Start, ulong End)> OwnedBy(OwnerSet who, ulong start, ulong end) =>
        Split(start, end).Where(p => p.Owners.SharesAnyWith(who)).Select(p => (p.Start, p.End));

    /// <summary>Whether the two maps give every byte the same owners.</summary>
    public bool SameOwnersAs(OwnershipMap other) => _pieces.AsSpan().SequenceEqual(other._pieces);
}
