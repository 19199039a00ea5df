namespace Bulwark.Kernel;

/// <summary>Counters reported by --stats.</summary>
public sealed class KernelStats
{
    public long Instructions { get; set; }
    public long Syscalls { get; set; }
    public long PageFaults { get; set; }
    public long ContextSwitches { get; set; }
    public long KernelPreemptions { get; set; }
    /// <summary>Processes killed because guest memory ran out.</summary>
    public long OutOfMemoryKills { get; set; }
    public SortedDictionary<string, long> UnknownSyscalls { get; } = new(StringComparer.Ordinal);
    public double HostSeconds { get; set; }
    public long PeakGuestFrames { get; set; }
}
