using Bulwark.Machine.Scheduling;

namespace Bulwark.Kernel;

/// <summary>Everything that configures one run of the kernel.</summary>
public enum UserMemoryProtection
{
    None,
    /// <summary>Midas-style TOCTTOU protection (Protections/Midas).</summary>
    Midas,
}

public sealed class KernelOptions
{
    public int Harts { get; init; } = 4;
    public ulong Seed { get; init; }
    public ulong MemoryBytes { get; init; } = 1UL << 30;
    public long MaxInstructions { get; init; } = long.MaxValue;
    public bool Strict { get; init; }
    /// <summary>Write one line per system call to <see cref="Stderr"/>.</summary>
    public bool TraceSyscalls { get; init; }
    /// <summary>Host directories mounted read-only: (host path, guest path).</summary>
    public IReadOnlyList<(string Host, string Guest)> Mounts { get; init; } = [];
    public IReadOnlyList<string> Environment { get; init; } = [];
    public Stream Stdin { get; init; } = Stream.Null;
    public Stream Stdout { get; init; } = Stream.Null;
    public Stream Stderr { get; init; } = Stream.Null;
    public UserMemoryProtection Protection { get; init; }
    /// <summary>Log every double-fetch situation (detection mode; protects nothing).</summary>
    public bool DetectDoubleFetch { get; init; }
    /// <summary>The scheduling strategy; a seeded <see cref="RandomStrategy"/> when null.</summary>
    public ISchedulingStrategy? Strategy { get; init; }
}
