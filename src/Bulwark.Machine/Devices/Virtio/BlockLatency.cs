using Bulwark.Machine.Scheduling;

namespace Bulwark.Machine.Devices.Virtio;

/// <summary>How long a block request stays in flight, in virtual nanoseconds: a base latency, a cost per
/// 512-byte sector moved, and a pseudo-random part in [0, <see cref="JitterNs"/>] drawn from a seeded
/// <see cref="SplitMix64"/> (never the host clock or System.Random), so the same seed and the same
/// requests give the same completion times and another seed reorders them.</summary>
public readonly record struct BlockLatency(ulong BaseNs, ulong PerSectorNs, ulong JitterNs, bool Stalls = false)
{
    /// <summary>20 µs + 100 ns a sector + up to 20 µs: a fast local SSD's order of magnitude.</summary>
    public static BlockLatency Default => new(20_000, 100, 20_000);

    /// <summary>A disk that accepts requests and never completes them (a hung device).</summary>
    public static BlockLatency Stalled => new(0, 0, 0, Stalls: true);

    public ulong Draw(SplitMix64 random, ulong sectors) =>
        BaseNs + PerSectorNs * sectors + (JitterNs == 0 ? 0 : random.Next() % (JitterNs + 1));
}
