using System.Text.RegularExpressions;
using Bulwark.Lab.Revocation;
using Bulwark.S3k.Dma;
using Bulwark.Tests.Corpora;
using static Bulwark.Tests.Cli.BadInputTests;

namespace Bulwark.Tests.Cli;

/// <summary>`bulwark s3k --revoke-policy` and `--dma-log` through the real command line, on the crossing
/// attack of tests/s3k-programs/revoke (its disk says which attack), and the revocation options' bad input.</summary>
public sealed class RevokePolicyCommandTests
{
    private static string[] Apps =>
        Enumerable.Range(0, 3).Select(i => Path.Combine(Corpus.S3kProgramsDirectory, $"revoke.app{i}.elf")).ToArray();

    private static string CrossingDisk()
    {
        var disk = new RevocationScenario(RevocationAttack.Crossing, RevokePolicy.None).Disk();
        string path = Path.Combine(Path.GetTempPath(), $"bulwark-revoke-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(path, disk.Slice(0, (int)disk.Bytes).ToArray());
        return path;
    }

    /// <summary>The settings RevocationRunner uses, from the command line.</summary>
    private static CliProcess.Result Run(string policy, params string[] extra) =>
        CliProcess.Run(["s3k", "--harts", "4", "--procs", "4", "--caps", "16", "--channels", "4", "--slot-ticks", "500", "--max-time", "0.004",
            "--seed", "3", "--disk", CrossingDisk(), "--revoke-policy", policy, .. extra, .. Apps]);

    [Fact]
    public void NoneShowsTheDamageAndQuarantinePreventsIt()
    {
        var none = Run("none");
        Assert.Equal(124, none.ExitCode);
        Assert.Contains("0> attack crossing, monitor plain", none.Stdout);
        Assert.Matches(@"dma: policy none: \d+ accesses, 0 refused \(0 for requests in flight when their memory was taken\); leaked 0 bytes, corrupted [1-9]\d*, after hand-over [1-9]\d*", none.Stderr);
        Assert.Matches(@"dma: 1 revokes/deletes/moves of memory the device could still touch \([1-9]\d* bytes\)", none.Stderr);

        string log = Path.Combine(Path.GetTempPath(), $"bulwark-dma-{Guid.NewGuid():N}.log");
        var quarantine = Run("quarantine", "--dma-log", log);
        Assert.Contains("give to pid 2: SUCCESS", quarantine.Stdout);
        Assert.Matches(@"dma: policy quarantine: \d+ accesses, 0 refused \(0 [^)]*\); leaked 0 bytes, corrupted 0, after hand-over 0", quarantine.Stderr);
        Assert.Matches(@"revoke latency mean [1-9][\d.]* us", quarantine.Stderr);
        var lines = File.ReadAllLines(log);
        Assert.StartsWith("ownership 0 from 0 ns", lines[0]);
        Assert.Contains(lines, l => l.Contains(":quarantine"));                                   // the held range in the timeline
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\d+ virtio0 q0/h0 request \d+ W \[0x8004ff00,\+\d+\) for pid 1: \d+@pid 1"));
        Assert.Contains(lines, l => l.StartsWith("request 0 virtio0 q0/h0 for pid 1: popped"));
    }

    [Fact]
    public void TheSameSeedPrintsTheSame()
    {
        var a = Run("deny");
        var b = Run("deny");
        Assert.Equal(a.Stdout, b.Stdout);
        Assert.Equal(a.Stderr, b.Stderr);
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { ["s3k", "--revoke-policy", "bogus", "x.elf"], "--revoke-policy 'bogus' is not one of: none, kill, scrub, deny, quarantine, reset" },
        { ["s3k", "--dma-log", "x.log", "x.elf"], "--dma-log needs --revoke-policy" },
        { ["s3k", "--disk-stall", "x.elf"], "--disk-stall needs --disk" },
        { ["eval", "--revocation-budget", "0"], "--revocation-budget '0' is not a positive number of schedules" },
        { ["eval", "--revocation-budget", "x"], "--revocation-budget 'x' is not a whole number" },
        { ["eval", "--revocation-only", "--skip-revocation"], "--revocation-only and --skip-revocation cannot be used together" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void IsRefusedInOneLine(string[] args, string message) => AssertRefused(CliProcess.Run(args), Regex.Escape(message));
}
