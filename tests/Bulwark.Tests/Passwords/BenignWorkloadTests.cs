using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;

namespace Bulwark.Tests.Passwords;

/// <summary>The benign workload: a pointer-linked tree passed between processes through a segment gives
/// the same result in every mode, fails no check, and runs exactly the same instructions whether
/// throttling is on or off.</summary>
public sealed class BenignWorkloadTests
{
    private const string Expected =
        "consumer: 300 nodes, sum 145935732, depth 20, hash b013017a939cd940\n" +
        "producer: 300 nodes, sum 145935732, consumer's hash b013017a939cd940\n";

    public static TheoryData<SharedProtectionMode> Modes => Lab.AllModes();

    [Theory]
    [MemberData(nameof(Modes))]
    public void TheTree_IsTheSameInEveryMode(SharedProtectionMode mode)
    {
        var run = Lab.Run("tree", mode, "300");
        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.Status);
        Assert.Equal(Expected, run.Stdout);
        Assert.Equal(0, run.FailedChecks);
        Assert.Empty(run.Shared.Throttle.Users);
        // The password modes go through the password unit: far loads and stores, verified links.
        if (SharedProtectionModes.UsesPasswordUnit(mode)) Assert.True(run.Shared.Far!.FarAccesses > 3000);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Throttling_LeavesTheBenignWorkloadsInstructionsUnchanged(SharedProtectionMode mode)
    {
        string elf = Lab.Elf("tree");
        var on = PasswordRun.Of(elf, ["200"], mode, throttling: true);
        var off = PasswordRun.Of(elf, ["200"], mode, throttling: false);
        Assert.Equal(on.Stdout, off.Stdout);
        Assert.Equal(off.Instructions, on.Instructions);
        Assert.Equal(off.VirtualNs, on.VirtualNs);
    }

    [Fact]
    public void TheMicroBenchmark_IsTheSameInEveryMode()
    {
        var outputs = Lab.Modes.Select(m => Lab.Run("farbench", m, "3").Stdout).Distinct().ToList();
        Assert.Equal(["farbench: 3072 far loads and 3072 far stores, checksum 1571328\n"], outputs);
    }

    [Fact]
    public void SameSeed_SamePasswordsAndAliases_OtherSeed_OtherOnes()
    {
        string Addresses(ulong seed, SharedProtectionMode mode)
        {
            var run = PasswordRun.Of(Lab.Elf("tree"), ["20"], mode, seed: seed);
            var s = run.Shared.Segments.Single();
            return s.Far is { } far ? $"{far.Read} {far.ReadWrite} {far.Execute}" : $"{s.ReadWriteAlias:x} {s.ReadOnlyAlias:x}";
        }
        foreach (var mode in new[] { SharedProtectionMode.Statistical, SharedProtectionMode.Password })
        {
            Assert.Equal(Addresses(7, mode), Addresses(7, mode));
            Assert.NotEqual(Addresses(7, mode), Addresses(8, mode));
        }
    }
}
