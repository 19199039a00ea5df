namespace Bulwark.S3k.Dma;

/// <summary>Who owns a byte at one moment: the processes holding it (see <see cref="OwnershipMap"/> for the
/// definition), as a bit per pid, or the kernel's quarantine (nobody may have it while a device may still
/// touch it). Empty means no capability covers the byte: it is the kernel's (s3k's own image lives there).
/// Pids are limited to 64, so that an access is tagged without allocating; S3kConfig refuses more
/// processes when DMA is tracked.</summary>
public readonly record struct OwnerSet(ulong Pids, bool Quarantined = false)
{
    public const int MaxPids = 64;

    public static readonly OwnerSet Kernel = new(0);
    public static readonly OwnerSet Quarantine = new(0, true);

    public static OwnerSet Of(int pid) => new(1UL << pid);

    public bool IsKernel => Pids == 0 && !Quarantined;
    public bool Contains(int pid) => (Pids >> pid & 1) != 0;
    public bool SharesAnyWith(OwnerSet other) => (Pids & other.Pids) != 0;
    public OwnerSet With(int pid) => this with { Pids = Pids | 1UL << pid };

    /// <summary>Whether bytes of this owner are someone else's than <paramref name="driver"/>'s: held by no
    /// process of the driver (the kernel's bytes count as someone else's), and not in quarantine, which is
    /// held for the device itself.</summary>
    public bool IsForeignTo(OwnerSet driver) => !Quarantined && !SharesAnyWith(driver);

    public IEnumerable<int> Each()
    {
        for (int pid = 0; pid < MaxPids; pid++)
            if (Contains(pid)) yield return pid;
    }

    public override string ToString() =>
        Quarantined ? "quarantine" : Pids == 0 ? "kernel" : "pid " + string.Join(",", Each());
}
