using Bulwark.Machine.Devices;
using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Dma;

/// <summary>Applies the revoke policy (<see cref="RevokePolicy"/>) whenever a capability operation would take
/// memory from its holder: a revoke deleting a descendant, a delete, a move to another process. The memory
/// at risk is the overlap of the taken capability's bytes, the bytes the device's driver owns, and the
/// device's footprint (rings, available chains, requests in flight, each [addr, addr+len) with a saturated
/// end, so a buffer starting below the range and running in counts, as do a chain's later descriptors and
/// indirect tables). Only that overlap triggers the policy: memory the driver does not own cannot be
/// reached by its device anyway (<see cref="DmaSupervisor"/> refuses it), so a driver cannot hold up the
/// revocation of others' memory by pointing descriptors at it.
///
/// It also keeps quarantined memory from being derived, moved or loaded (<see cref="MayGrant"/>).</summary>
public sealed class RevocationGuard(RevokePolicy policy, DmaSupervisor dma, ProcessTable procs, ulong denyResetNs)
{
    private readonly Dictionary<int, RevocationRecord> _denied = [];
    private readonly Dictionary<DmaDevice, ulong> _busySince = [];

    public RevokePolicy Policy { get; } = policy;

    /// <summary>Every take that overlapped a footprint, in order.</summary>
    public List<RevocationRecord> Records { get; } = [];

    /// <summary>Called before the memory of entry <paramref name="c"/> leaves its holder. Success: go on
    /// (after the policy acted); <see cref="Err.DmaBusy"/>: leave everything as it is (deny).</summary>
    public Err BeforeTake(CapTable table, int c)
    {
        if (CapRanges.Of(table.Cap(c)) is not { } range || range.Start >= range.End) return Err.Success;
        ulong now = dma.Clock.Nanoseconds;
        var acted = new List<RevocationRecord>();
        foreach (var device in dma.Devices)
        {
            var overlap = Overlap(device, range.Start, range.End);
            if (overlap.Count == 0)
            {
                _busySince.Remove(device);
                continue;
            }
            ulong bytes = overlap.Aggregate(0UL, (s, o) => s + (o.End - o.Start));
            if (!_denied.Remove(c, out var record))
            {
                record = new RevocationRecord(c, device.Name, range.Start, range.End, now, bytes);
                Records.Add(record);
            }
            if (Act(device, c, record, overlap, range) == Err.DmaBusy) return Err.DmaBusy;
            acted.Add(record);
        }
        // A call denied before goes through now: its memory changes hands at this moment.
        if (_denied.Remove(c, out var waited))
        {
            waited.Available ??= now;
            acted.Add(waited);
        }
        foreach (var record in acted)
        {
            record.TakenAt = now;
            record.RequestsPoppedBefore = dma.Tracker.All.Count;
        }
        return Err.Success;
    }

    private Err Act(DmaDevice device, int c, RevocationRecord record, List<(ulong Start, ulong End)> overlap, (ulong Start, ulong End) range)
    {
        ulong now = dma.Clock.Nanoseconds;
        switch (Policy)
        {
            case RevokePolicy.None:
                record.Action = "none";
                record.Available = now;
                break;
            case RevokePolicy.Kill:
                foreach (int pid in device.Driver(dma.Current).Each().Where(p => p < procs.Count)) procs.Suspend(procs[pid]);
                Reset(device);
                record.Action = "kill";
                record.Available = now;
                break;
            case RevokePolicy.Reset:
                Reset(device);
                record.Action = "reset";
                record.Available = now;
                break;
            case RevokePolicy.Scrub:
                Scrub(device, overlap, range, record);
                record.Available = now;
                break;
            case RevokePolicy.Deny:
                if (!_busySince.TryGetValue(device, out ulong since)) _busySince[device] = since = now;
                if (now - since < denyResetNs)
                {
                    record.Action = "deny";
                    record.Denials++;
                    _denied[c] = record;
                    return Err.DmaBusy;
                }
                // The device has kept this memory busy for too long (stalled, or a driver that never lets
                // go): a monitor must not wait for ever, so the device is reset and the call goes on.
                Reset(device);
                _busySince.Remove(device);
                record.Action = "deny, then reset";
                record.Available = now;
                break;
            case RevokePolicy.Quarantine:
                foreach (var (s, e) in overlap) dma.Quarantine.Hold(s, e, device, record);
                record.Action = "quarantine";
                break;
        }
        return Err.Success;
    }

    /// <summary>Fails the requests that touch the overlap and zeroes it, so the next owner reads zeros,
    /// never the disk's data or the driver's. Chains made available but not yet popped are popped first (as
    /// a notify would) so that none of them starts later. Rings cannot be failed: if one lies in the overlap,
    /// the device is reset instead.</summary>
    private void Scrub(DmaDevice device, List<(ulong Start, ulong End)> overlap, (ulong Start, ulong End) range, RevocationRecord record)
    {
        bool Hits(ulong start, ulong end) => overlap.Any(o => start < o.End && o.Start < end);
        if (device.Rings().Any(r => Hits(r.Start, r.End)))
        {
            Reset(device);
            record.Action = "scrub by reset (rings in the range)";
        }
        else
        {
            device.Slot.PopAvailable();
            device.Slot.FailRequests(
                e => e.Readable.Concat(e.Writable).Any(b => Hits(b.Address, DeviceRange.Of(b.Address, b.Length, false, "").End)),
                status => status < range.Start || status >= range.End);
            record.Action = "scrub";
        }
        Span<byte> zeros = stackalloc byte[4096];
        zeros.Clear();
        foreach (var (s, e) in overlap)
            for (ulong at = s; at < e;)
            {
                int chunk = (int)Math.Min((ulong)zeros.Length, e - at);
                if (!dma.Bus.IsRam(at, (ulong)chunk)) break;
                dma.Bus.Ram.Write(at, zeros[..chunk]);
                at += (ulong)chunk;
            }
    }

    private void Reset(DmaDevice device)
    {
        dma.Tracker.KernelResetting = true;
        try { device.Slot.Reset(); }
        finally { dma.Tracker.KernelResetting = false; }
        Refresh();
    }

    /// <summary>The bytes of [start, end) the device may still touch for its driver.</summary>
    public List<(ulong Start, ulong End)> Overlap(DmaDevice device, ulong start, ulong end)
    {
        var map = dma.Current;
        var driver = device.Driver(map);
        if (driver.Pids == 0) return [];
        var owned = map.OwnedBy(driver, start, end).ToList();
        if (owned.Count == 0) return [];
        var result = new List<(ulong Start, ulong End)>();
        foreach (var f in device.Footprint())
            foreach (var (s, e) in owned)
            {
                ulong from = Math.Max(s, f.Start), to = Math.Min(e, f.End);
                if (from < to) result.Add((from, to));
            }
        return Merge(result);
    }

    private static List<(ulong Start, ulong End)> Merge(List<(ulong Start, ulong End)> ranges)
    {
        var merged = new List<(ulong Start, ulong End)>();
        foreach (var r in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else merged.Add(r);
        }
        return merged;
    }

    /// <summary>Whether a capability of these bytes may be derived, moved or loaded: not while any of them is
    /// in quarantine.</summary>
    public Err MayGrant(Cap cap)
    {
        if (dma.Quarantine.IsEmpty || CapRanges.Of(cap) is not { } range) return Err.Success;
        Refresh();
        return dma.Quarantine.Overlaps(range.Start, range.End) ? Err.DmaBusy : Err.Success;
    }

    /// <summary>Releases quarantined memory its device can no longer touch.</summary>
    public void Refresh()
    {
        dma.Quarantine.Release(dma.Clock.Nanoseconds);
        dma.Observe();
    }
}
