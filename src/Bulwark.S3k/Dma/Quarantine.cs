namespace Bulwark.S3k.Dma;

/// <summary>Memory taken from a driver while its device may still touch it, held back as Fuchsia holds a
/// quarantined PMT's pages: no derive, move or PMP load may reach it until the device no longer may (every
/// request touching it ended, or the device was reset). The device itself may go on using it.</summary>
public sealed class Quarantine
{
    private readonly List<(ulong Start, ulong End, DmaDevice Device, RevocationRecord Record)> _held = [];
    private readonly List<RevocationRecord> _records = [];

    /// <summary>Bumped at every change, so the ownership map knows to rebuild.</summary>
    public int Version { get; private set; }

    public bool IsEmpty => _held.Count == 0;

    public IEnumerable<(ulong Start, ulong End)> Ranges => _held.Select(h => (h.Start, h.End));

    public void Hold(ulong start, ulong end, DmaDevice device, RevocationRecord record)
    {
        _held.Add((start, end, device, record));
        if (!_records.Contains(record)) _records.Add(record);
        Version++;
    }

    public bool Overlaps(ulong start, ulong end) => _held.Any(h => h.Start < end && start < h.End);

    /// <summary>Lets go of every range its device's footprint no longer overlaps; a record's memory is
    /// available once all its ranges are released.</summary>
    public void Release(ulong now)
    {
        if (_held.Count == 0) return;
        var footprints = _held.Select(h => h.Device).Distinct().ToDictionary(d => d, d => d.Footprint());
        int removed = _held.RemoveAll(h => !footprints[h.Device].Any(r => r.Overlaps(h.Start, h.End)));
        if (removed == 0) return;
        Version++;
        foreach (var r in _records.Where(r => r.Available == null && !_held.Any(h => h.Record == r)).ToList())
        {
            r.Available = now;
            _records.Remove(r);
        }
    }
}
