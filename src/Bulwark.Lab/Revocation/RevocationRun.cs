using Bulwark.S3k.Dma;

namespace Bulwark.Lab.Revocation;

/// <summary>What one run of a scenario showed: the monitor's console, the DMA figures, and whether the DMA
/// log agrees with the ownership timeline (the problems found, none when it does).</summary>
public sealed record RevocationRun(RevocationScenario Scenario, ulong Seed, string Console, DmaReport Report, IReadOnlyList<string> LogProblems,
    IReadOnlyList<string> KernelFaults)
{
    /// <summary>Isolation broken: bytes leaked or corrupted, a request completed twice, the device still able
    /// to reach someone else's memory at the end without any check (a stalled request under none), a request
    /// in flight at the take that only the per-access check stopped (the policy did not deal with it), a
    /// log that does not match the ownership timeline, or a hart the kernel halted (a failed assertion: then
    /// the run cannot vouch for anything).</summary>
    public bool Violated =>
        Report.LeakedBytes + Report.CorruptedBytes > 0 || Report.CompletedTwice > 0 || Report.ExposedAtEnd > 0 || Report.Backstopped > 0
        || LogProblems.Count > 0 || KernelFaults.Count > 0;

    /// <summary>A revoke, delete or move met memory the device could still touch: the race happened.</summary>
    public bool Raced => Report.Takes > 0;

    /// <summary>The seed's monitor saw a conflict in the driver's queue at least once (its console says how often).</summary>
    public bool SeedSawConflict => Console.Contains("seed quarantine: ") && !Console.Contains("seed quarantine: 0 checks");

    public string Why =>
        KernelFaults.Count > 0 ? "the kernel halted a hart: " + KernelFaults[0]
        : LogProblems.Count > 0 ? "log disagrees with the ownership timeline: " + LogProblems[0]
        : $"leaked {Report.LeakedBytes} B, corrupted {Report.CorruptedBytes} B, completed twice {Report.CompletedTwice}, exposed at the end {Report.ExposedAtEnd} B, "
            + $"refused for requests in flight at the take {Report.Backstopped}";
}
