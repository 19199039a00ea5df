using System.Buffers.Binary;
using System.Text;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.S3k.Dma;

namespace Bulwark.Lab.Revocation;

/// <summary>One cell of the revocation table: an attack, the kernel's revoke policy, and whether the monitor
/// is the seed's design (its start-address quarantine; then the kernel's policy is none).</summary>
public sealed record RevocationScenario(RevocationAttack Attack, RevokePolicy Policy, bool SeedMonitor = false)
{
    public const int DiskSectors = 64;

    /// <summary>The column's name: the policy's, or "seed" for the seed's monitor.</summary>
    public string Defence => SeedMonitor ? "seed" : RevokePolicies.Name(Policy);

    /// <summary>The disk that tells the driver what to do: sector 0 "BWREVOKE", the attack and the monitor's
    /// design (u64 each); the other sectors a pattern no run of the victim's byte 0x5a appears in.</summary>
    public DiskImage Disk()
    {
        var bytes = new byte[DiskSectors * DiskImage.SectorSize];
        for (int i = DiskImage.SectorSize; i < bytes.Length; i++) bytes[i] = (byte)(i / 512 * 31 + i * 7);
        Encoding.ASCII.GetBytes("BWREVOKE").CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)Attack);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), SeedMonitor ? 1UL : 0UL);
        return new DiskImage(bytes);
    }

    /// <summary>The stall attack's disk never answers (the driver then cannot read sector 0 and knows).</summary>
    public BlockLatency? Latency => Attack == RevocationAttack.Stall ? BlockLatency.Stalled : null;

    /// <summary>Virtual time a run gets: the scenario is over well before (the denial of service's five rounds,
    /// each of which deny may hold for its one-millisecond bound, need longer).</summary>
    public ulong MaxTimeNs => Attack == RevocationAttack.Dos ? 9_000_000UL : 4_000_000UL;

    public override string ToString() => $"{Attack.ToString().ToLowerInvariant()} under {Defence}";
}
