namespace Bulwark.S3k.Dma;

/// <summary>A run's figures, computed from its DMA log, ownership timeline, request tracker and revocation
/// records (issue 9):
/// <list type="bullet">
/// <item><b>leaked</b>: bytes the device read, for a request of a driver, from memory no process of that
/// driver owned at that moment (another process's, or the kernel's; the quarantine is the device's own);</item>
/// <item><b>corrupted</b>: bytes it wrote into such memory;</item>
/// <item><b>after hand-over</b>: of those, the bytes that had been the driver's earlier in the run (memory
/// a revoke, delete or move took from it), read or written after it changed hands;</item>
/// <item><b>refused</b>: accesses the per-access check refused (the device then stops until reset); of those,
/// <b>backstopped</b>: accesses for a request already popped when a take of those bytes went through. The
/// policy should have dealt with such a request (reset, failed, waited for or quarantined it); only the
/// check stopped it. A refusal of a request popped later (a driver using memory it has just lost, a
/// descriptor rewritten after the take) is the check's own job;</item>
/// <item><b>requests</b>: each popped request ends once: completed, failed (an error in the used ring),
/// cancelled by the driver's own reset, or <b>lost</b> (dropped by a reset the kernel ordered or because the
/// device broke on a refused access: the driver is never told which requests ran); <b>pending</b>: still in
/// flight at the end; <b>completed twice</b>: a used-ring publication with no open request of its head;</item>
/// <item><b>revoke latency</b>: from a take's first attempt to the moment its memory could go to someone
/// else (a denied call's eventual success, a quarantine's release); takes never made available are
/// counted apart;</item>
/// <item><b>exposed at the end</b>: when accesses are not checked (policy none), bytes of someone else's memory
/// the device may still touch when the run ends (a request that never completes, on a stalled disk);</item>
/// <item><b>throughput</b>: bytes of completed requests' buffers per second of virtual time.</item>
/// </list></summary>
public sealed record DmaReport(
    int Accesses, int Refused, int Backstopped, ulong LeakedBytes, ulong CorruptedBytes, ulong AfterHandOverBytes,
    int Requests, int Completed, int Failed, int CancelledByDriver, int Lost, int Pending, int CompletedTwice,
    int Takes, int Denials, ulong ExposedBytes, double? MeanLatencyNs, ulong? MaxLatencyNs, int NeverAvailable,
    ulong CompletedBytes, ulong RunNs, ulong ExposedAtEnd)
{
    public double ThroughputMBps => RunNs == 0 ? 0 : CompletedBytes * 1e3 / RunNs;

    public static DmaReport Of(DmaSupervisor dma, IReadOnlyList<RevocationRecord> records)
    {
        var log = dma.Log;
        ulong leaked = 0, corrupted = 0, after = 0;
        int refused = 0;
        foreach (var e in log.Entries)
        {
            if (!e.Allowed)
            {
                refused++;
                continue;
            }
            foreach (var p in e.Pieces.Where(p => p.Owners.IsForeignTo(e.Driver)))
            {
                if (e.IsWrite) corrupted += p.Length;
                else leaked += p.Length;
                after += log.OwnedBefore(e.Driver, e.OwnershipVersion, p.Start, p.End);
            }
        }
        var requests = dma.Tracker.All;
        int Count(RequestOutcome o) => requests.Count(r => r.Outcome == o);
        var latencies = records.Where(r => r.LatencyNs != null).Select(r => r.LatencyNs!.Value).ToList();
        ulong completedBytes = requests.Where(r => r.Outcome == RequestOutcome.Completed).Aggregate(0UL, (s, r) => s + r.Bytes);
        return new DmaReport(
            log.Entries.Count, refused, CountBackstopped(dma, records), leaked, corrupted, after,
            requests.Count, Count(RequestOutcome.Completed), Count(RequestOutcome.Failed), Count(RequestOutcome.CancelledByDriver),
            Count(RequestOutcome.Lost), Count(RequestOutcome.InFlight), dma.Tracker.CompletedTwice.Count,
            records.Count, records.Sum(r => r.Denials), records.Aggregate(0UL, (s, r) => s + r.OverlapBytes),
            latencies.Count > 0 ? latencies.Average(l => (double)l) : null, latencies.Count > 0 ? latencies.Max() : null,
            records.Count(r => r.Available == null), completedBytes, dma.Clock.Nanoseconds, dma.CheckAccesses ? 0 : Exposed(dma));
    }

    /// <summary>Refused accesses, after a take of the bytes they reached went through, for a request popped
    /// before it (see the type's summary).</summary>
    private static int CountBackstopped(DmaSupervisor dma, IReadOnlyList<RevocationRecord> records) =>
        dma.Log.Entries.Count(e => !e.Allowed && e.RequestId is { } id && records.Any(r =>
            r.TakenAt is { } taken && e.Time >= taken && r.Device == e.Device && id < r.RequestsPoppedBefore && e.Address < r.End && r.Start < e.Address + (ulong)e.Length));

    /// <summary>Bytes of the devices' footprints that belong to someone else than their drivers, now.</summary>
    private static ulong Exposed(DmaSupervisor dma)
    {
        var map = dma.Current;
        ulong bytes = 0;
        foreach (var device in dma.Devices)
        {
            var driver = device.Driver(map);
            var foreign = device.Footprint()
                .SelectMany(f => map.Split(f.Start, f.End).Where(p => p.Owners.IsForeignTo(driver)))
                .Select(p => (p.Start, p.End)).Distinct().OrderBy(p => p.Start);
            ulong at = 0;
            foreach (var (s, e) in foreign)
            {
                ulong from = Math.Max(s, at);
                if (e > from) bytes += e - from;
                at = Math.Max(at, e);
            }
        }
        return bytes;
    }

    /// <summary>The figures as `bulwark s3k --revoke-policy` prints them on stderr.</summary>
    public IEnumerable<string> Lines(RevokePolicy policy)
    {
        yield return $"dma: policy {RevokePolicies.Name(policy)}: {Accesses} accesses, {Refused} refused ({Backstopped} for requests in flight when their memory was taken); leaked {LeakedBytes} bytes, corrupted {CorruptedBytes}, after hand-over {AfterHandOverBytes}";
        yield return $"dma: requests {Requests}: completed {Completed}, failed {Failed}, cancelled by the driver {CancelledByDriver}, lost {Lost}, pending {Pending}, completed twice {CompletedTwice}";
        string latency = MaxLatencyNs is { } max ? $"revoke latency mean {MeanLatencyNs / 1e3:F1} us, max {max / 1e3:F1} us" : "no revoke latency";
        yield return $"dma: {Takes} revokes/deletes/moves of memory the device could still touch ({ExposedBytes} bytes), {Denials} denied, {latency}, {NeverAvailable} never available; throughput {ThroughputMBps:F2} MB/s";
    }
}
