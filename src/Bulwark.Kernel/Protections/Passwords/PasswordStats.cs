namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>The kernel's side of the `--stats` counters (the CPU counts far accesses and its failed checks).</summary>
public sealed class PasswordStats
{
    public long SegmentsCreated { get; internal set; }
    /// <summary>Table mode: stale shadows the kernel refreshed (the grant was still held) before a retry.</summary>
    public long Refreshes { get; internal set; }
    /// <summary>Password (or statistical alias) changes on revocation.</summary>
    public long Rotations { get; internal set; }
    /// <summary>SIGSEGVs delivered for failed checks (all modes, including the fallback library's reports).</summary>
    public long CheckSignals { get; internal set; }
    /// <summary>Failed checks reported by the fallback's guest library.</summary>
    public long LibraryChecksFailed { get; internal set; }
    /// <summary>Faults at shared-part addresses that are no check (near accesses that found nothing).</summary>
    public long SharedFaults { get; internal set; }
}
