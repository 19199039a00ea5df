namespace Bulwark.S3k.Dma;

/// <summary>One revoke, delete or move that would take memory a device may still touch: when it was first
/// tried, what the policy did, and when the memory could go to someone else (null: not yet; a denied call
/// the caller gave up on, or a quarantine never released). Revoke latency is the difference.</summary>
public sealed class RevocationRecord(int entry, string device, ulong firstAttempt, ulong overlapBytes)
{
    /// <summary>The capability table entry whose memory is taken.</summary>
    public int Entry { get; } = entry;
    public string Device { get; } = device;
    public ulong FirstAttempt { get; } = firstAttempt;

    /// <summary>Bytes of the taken memory in the device's footprint and owned by its driver.</summary>
    public ulong OverlapBytes { get; } = overlapBytes;

    /// <summary>What the kernel did ("none", "kill", "deny", "deny, then reset", "scrub", "scrub by reset"...).</summary>
    public string Action { get; set; } = "";
    public int Denials { get; set; }
    public ulong? Available { get; set; }

    public ulong? LatencyNs => Available is { } at ? at - FirstAttempt : null;
}
