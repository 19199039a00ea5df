using Bulwark.Machine.Memory;

namespace Bulwark.S3k.Dma;

/// <summary>One device access to RAM with the owners its bytes had at that moment: the pieces of
/// [Address, Address + Length) cut where the owners change, and the process the access was made for (the
/// driver of the request it serves, or the device's driver for ring accesses). <paramref name="RequestId"/>
/// is the tracked request it serves (<see cref="TrackedRequest.Id"/>), null for ring accesses.</summary>
public sealed record DmaLogEntry(
    long Sequence, ulong Time, string Device, DmaRequest? Request, long? RequestId, ulong Address, int Length, bool IsWrite, bool Allowed,
    OwnerSet Driver, IReadOnlyList<OwnedPiece> Pieces, int OwnershipVersion)
{
    /// <summary>Bytes of pieces that belong to someone else than the driver (see <see cref="OwnerSet.IsForeignTo"/>).</summary>
    public ulong ForeignBytes => Pieces.Where(p => p.Owners.IsForeignTo(Driver)).Aggregate(0UL, (s, p) => s + p.Length);
}

/// <summary>The owner-tagged DMA log of a run and the ownership timeline it was tagged against: every map
/// the run went through, with the virtual time it came into force.</summary>
public sealed class DmaLog
{
    public List<DmaLogEntry> Entries { get; } = [];
    public List<(ulong Since, OwnershipMap Map)> Timeline { get; } = [];

    /// <summary>Checks every entry against the timeline: the map it names was the one in force at its time
    /// (it came into force no later, the next one no earlier), and splitting the access over that map gives
    /// exactly the owners the entry was tagged with. Returns the first problems found (none: consistent).</summary>
    public List<string> CheckAgainstTimeline(int max = 10)
    {
        var problems = new List<string>();
        foreach (var e in Entries)
        {
            if (problems.Count >= max) break;
            int i = Timeline.FindIndex(t => t.Map.Version == e.OwnershipVersion);
            if (i < 0)
            {
                problems.Add($"access {e.Sequence}: ownership version {e.OwnershipVersion} is not in the timeline");
                continue;
            }
            if (Timeline[i].Since > e.Time || (i + 1 < Timeline.Count && Timeline[i + 1].Since < e.Time))
                problems.Add($"access {e.Sequence} at {e.Time} ns was tagged with ownership {e.OwnershipVersion}, not the one in force");
            var expected = Timeline[i].Map.Split(e.Address, e.Address + (ulong)e.Length);
            if (!expected.SequenceEqual(e.Pieces))
                problems.Add($"access {e.Sequence} at 0x{e.Address:x}: tagged {string.Join(" ", e.Pieces)}, the timeline says {string.Join(" ", expected)}");
        }
        return problems;
    }

    /// <summary>The bytes of [start, end) that <paramref name="driver"/> owned in some map before
    /// <paramref name="version"/>: memory that was the driver's and has since been taken.</summary>
    public ulong OwnedBefore(OwnerSet driver, int version, ulong start, ulong end)
    {
        var owned = new List<(ulong Start, ulong End)>();
        foreach (var (_, map) in Timeline)
        {
            if (map.Version >= version) break;
            owned.AddRange(map.OwnedBy(driver, start, end));
        }
        ulong bytes = 0, at = start;
        foreach (var (s, e) in owned.OrderBy(o => o.Start))
        {
            ulong from = Math.Max(s, at);
            if (e > from) bytes += e - from;
            at = Math.Max(at, e);
        }
        return bytes;
    }

    /// <summary>The log as text, one access a line (time in ns, device, queue/head, R or W, range, the
    /// driver it served, the owners of each piece, refused), after the ownership timeline.</summary>
    public void WriteTo(TextWriter w, IEnumerable<TrackedRequest> requests)
    {
        foreach (var (since, map) in Timeline)
            w.WriteLine($"ownership {map.Version} from {since} ns: {string.Join(" ", map.Pieces.Select(p => $"[0x{p.Start:x},0x{p.End:x}):{p.Owners}"))}");
        foreach (var e in Entries)
            w.WriteLine($"{e.Time} {e.Device} {(e.Request is { } r ? $"q{r.Queue}/h{r.Head}" : "ring")}{(e.RequestId is { } id ? $" request {id}" : "")} {(e.IsWrite ? 'W' : 'R')} [0x{e.Address:x},+{e.Length}) for {e.Driver}: "
                + string.Join(" ", e.Pieces.Select(p => $"{p.Length}@{p.Owners}")) + (e.Allowed ? "" : " REFUSED"));
        foreach (var r in requests)
            w.WriteLine($"request {r.Id} {r.Device} q{r.Queue}/h{r.Head} for {r.Driver}: popped {r.PoppedAt} ns, {r.Outcome} at {r.EndedAt} ns{(r.Why != null ? " (" + r.Why + ")" : "")}");
    }
}
