using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Kernel;

public enum UserMemoryProtection
{
    None,
    /// <summary>Midas-style TOCTTOU protection (Protections/Midas).</summary>
    Midas,
}

/// <summary>Everything that configures one run of the kernel.</summary>
public sealed record KernelOptions
{
    public int Harts { get; init; } = 4;
    public ulong Seed { get; init; }
    public ulong MemoryBytes { get; init; } = 1UL << 30;
    public long MaxInstructions { get; init; } = long.MaxValue;
    public bool Strict { get; init; }
    /// <summary>Trace every system call, signal delivery and process end on <see cref="Stderr"/> as strace would (Tracing/).</summary>
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
    /// <summary>What protects the segments of the shared part (`--memory-protection`).</summary>
    public SharedProtectionMode SharedProtection { get; init; }
    /// <summary>Statistical mode: the aliases' address entropy, 14 to 36 bits (`--shared-address-bits`).</summary>
    public int SharedAddressBits { get; init; } = SharedLayout.MaxAddressBits;
    /// <summary>Brute-force throttling of users whose checks fail (`--no-throttle` turns it off).</summary>
    public bool Throttling { get; init; } = true;
    /// <summary>The engine that runs guest code; the choice changes speed only.</summary>
    public EngineKind Engine { get; init; }
    /// <summary>The block engine's entries of a block start before it is compiled (tests lower it so
    /// that short programs run compiled code).</summary>
    public int JitThreshold { get; init; } = Bulwark.Machine.Cpu.Jit.BlockEngine.DefaultThreshold;
    /// <summary>Where the block engine compiles (tests compile inline, so that the same code runs
    /// compiled on every run).</summary>
    public JitCompilation JitCompile { get; init; } = JitCompilation.Background;
    /// <summary>The scheduling strategy; a seeded <see cref="RandomStrategy"/> when null.</summary>
    public ISchedulingStrategy? Strategy { get; init; }
}
