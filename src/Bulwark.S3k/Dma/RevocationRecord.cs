namespace Bulwark.S3k.Dma;

/// <summary>One revoke, delete or move that would take memory a device may still touch: when it was first
/// tried, what the policy did, when the call went through, and when the memory could go to someone else
/// (null: not yet; a denied call the caller gave up on, or a quarantine never released). Revoke latency is
/// the difference between the first try and the memory's availability.</summary>
public sealed class RevocationRecord(int entry, string device, ulong start, ulong end, ulong firstAttempt, ulong overlapBytes)
{
    /// <summary>The capability table entry whose memory is taken.</summary>
    public int Entry { get; } = entry;
    public string Device { get; } = device;

    /// <summary>The taken capability's bytes, [Start, End).</summary>
    public ulong Start { get; } = start;
    public ulong End { get; } = end;

    public ulong FirstAttempt { get; } = firstAttempt;

    /// <summary>Bytes of the taken memory in the device's footprint and owned by its driver.</summary>
    public ulong OverlapBytes { get; } = overlapBytes;

    /// <summary>What the kernel did ("none", "kill", "deny", "deny, then reset", "scrub", "scrub by reset"...).</summary>
    public string Action { get; set; } = "";
    public int Denials { get; set; }

    /// <summary>When the call went through and the memory left its holder (null while it is denied).</summary>
    public ulong? TakenAt { get; set; }

    /// <summary>How many device requests had been popped when the call went through: exactly those with a
    /// smaller <see cref="TrackedRequest.Id"/> were in flight or done (a time could not order a pop and a
    /// take in the same nanosecond).</summary>
    public long RequestsPoppedBefore { get; set; }

    public ulong? Available { get; set; }

    public ulong? LatencyNs => Available is { } at ? at - FirstAttempt : null;
}
