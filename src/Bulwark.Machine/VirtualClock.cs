namespace Bulwark.Machine;

/// <summary>The only time the guest sees. Advanced by whoever schedules the harts; never the host clock.</summary>
public sealed class VirtualClock
{
    /// <summary>The rdtime tick rate, as on QEMU's virt board.</summary>
    public const ulong TimebaseHz = 10_000_000;

    public ulong Nanoseconds { get; private set; }

    public ulong Ticks => Nanoseconds / (1_000_000_000 / TimebaseHz);

    public void Advance(ulong ns) => Nanoseconds += ns;

    public void AdvanceTo(ulong ns)
    {
        if (ns > Nanoseconds) Nanoseconds = ns;
    }
}
