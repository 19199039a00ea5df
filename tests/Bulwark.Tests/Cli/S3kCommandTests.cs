using Bulwark.Tests.Corpora;
using static Bulwark.Tests.Cli.BadInputTests;

namespace Bulwark.Tests.Cli;

/// <summary>`bulwark s3k` through the real command line: the course's programs, traces, statistics, and
/// one clear line for every bad input.</summary>
public sealed class S3kCommandTests
{
    private static string App(string project, string app = "app0.elf") =>
        Path.Combine(Directory.GetDirectories(Path.Combine(Corpus.S3kDirectory, "projects", project, "build")).Single(), app);

    private static string Expected(string project) => S3kOracle.Console(project);

    [Fact]
    public void TrappedPrintsWhatTheRealKernelPrints()
    {
        var r = CliProcess.Run("s3k", "--verbosity", "1", "--max-time", "0.05", App("trapped"));
        Assert.Equal(124, r.ExitCode);
        Assert.Equal(Expected("trapped"), S3kOracle.Normalize(r.Stdout));
        Assert.Equal("bulwark: virtual time limit of 0.05 s reached (--max-time)", r.Stderr.Trim());
    }

    [Fact]
    public void FourHartsBootWithTheirTimeCapabilities()
    {
        var r = CliProcess.Run("s3k", "--harts", "4", "--max-time", "0.05", App("tutorial.03.mem-cap"));
        Assert.Equal(Expected("tutorial.03.mem-cap"), S3kOracle.Normalize(r.Stdout));
    }

    [Fact]
    public void TracesAndStats()
    {
        var r = CliProcess.Run("s3k", "--harts", "4", "--trace-caps", "--trace-syscalls", "--stats", "--max-time", "0.02", App("hello"), App("hello", "app1.elf"));
        Assert.Contains("s3k: derive 0:2 -> 0:10 PMP{bgn=0x10000000,end=0x10000008,rwx=3,used=0,slot=0}", r.Stderr);
        Assert.Contains("s3k: move 0:5 -> 1:2 TIME{hart=1,bgn=0,end=32,mrk=0}", r.Stderr);
        Assert.Contains("s3k: pid 0 MonResume(8,1) = Success", r.Stderr);
        Assert.Matches(@"syscall 19 MonCapMove\s+3", r.Stderr);
        Assert.Matches(@"result 0 Success\s+\d+", r.Stderr);
    }

    [Fact]
    public void ConfigurationReachesTheBootCapabilities()
    {
        var r = CliProcess.Run("s3k", "--procs", "5", "--channels", "7", "--slots", "16", "--max-time", "0.001", App("tutorial.01.hello-world"));
        Assert.Contains("#\t4: TIME{hart=0,bgn=0,end=16,mrk=0}", r.Stdout);
        Assert.Contains("#\t8: MONITOR{bgn=0,end=5,mrk=0}", r.Stdout);
        Assert.Contains("#\t9: CHANNEL{bgn=0,end=7,mrk=0}", r.Stdout);
    }

    private static string[] Program(string name) =>
        Enumerable.Range(0, 3).Select(i => Path.Combine(Corpus.S3kProgramsDirectory, $"{name}.app{i}.elf")).Where(File.Exists).ToArray();

    /// <summary>The differential test through the real command lines: `bulwark system` with the real kernel
    /// and `bulwark s3k` with the programs' s3k_conf.h counts, same seed and -icount, print the same console.</summary>
    [Fact]
    public void SystemWithTheRealKernelAndS3kPrintTheSame()
    {
        string[] apps = Program("syscalls");
        var real = CliProcess.Run(["system", "--icount", "3", "--seed", "5", "--max-time", "0.4", Path.Combine(Corpus.S3kProgramsDirectory, "kernel.elf"), .. apps]);
        var mine = CliProcess.Run(["s3k", "--icount", "3", "--seed", "5", "--max-time", "0.4", "--procs", "4", "--caps", "16", "--channels", "4", .. apps]);
        Assert.Contains("-- the whole table at the end --", real.Stdout);
        Assert.Equal(real.Stdout, mine.Stdout);
        Assert.Contains("bulwark: s3k: hart 0: Kernel assertion failed at src/cap_table.c:39.", mine.Stderr);
    }

    [Fact]
    public void FixIpcLivelock()
    {
        string[] apps = Program("livelock");
        string[] common = ["s3k", "--icount", "3", "--max-time", "0.6", "--procs", "4", "--caps", "16", "--channels", "4", "--stats"];
        var plain = CliProcess.Run([.. common, .. apps]);
        Assert.Contains("send 21 = ERR_NO_RECEIVER", plain.Stdout);
        Assert.Contains("== livelock", plain.Stdout);
        Assert.DoesNotContain("waits restored", plain.Stderr);
        var fixedRun = CliProcess.Run([.. common, "--fix-ipc-livelock", .. apps]);
        Assert.Contains("send 2 = SUCCESS", fixedRun.Stdout);
        Assert.Contains("== progress", fixedRun.Stdout);
        Assert.Matches(@"waits restored on resume \(--fix-ipc-livelock\)\s+1", fixedRun.Stderr);
    }

    [Fact]
    public void MissingFile() => AssertRefused(CliProcess.Run("s3k", "/nonexistent/app0.elf"), "/nonexistent/app0.elf: no such file");

    [Fact]
    public void ADirectory() => AssertRefused(CliProcess.Run("s3k", Path.GetTempPath()), "is a directory");

    [Fact]
    public void OverlappingApps() => AssertRefused(CliProcess.Run("s3k", App("trapped"), App("trapped")), "overlaps");

    [Theory]
    [InlineData("--harts", "2", "--harts '2' is not 1 (qemu_virt) or 4 (qemu_virt4)")]
    [InlineData("--harts", "x", "--harts 'x' is not a whole number")]
    [InlineData("--procs", "0", "--procs '0' is not between 1 and 256")]
    [InlineData("--caps", "9", "--caps '9' is not between 10 (the boot capabilities) and 65535")]
    [InlineData("--channels", "0", "--channels '0' is not between 1 and 65535")]
    [InlineData("--slots", "256", "--slots '256' is not between 1 and 255")]
    [InlineData("--slot-ticks", "3", "--slot-ticks '3' is not at least 10 ticks")]
    [InlineData("--verbosity", "3", "--verbosity '3' is not 0, 1 or 2")]
    [InlineData("--max-time", "0", "--max-time '0' is not a positive number of seconds")]
    [InlineData("--memory", "1K", "--memory '1K' is not a RAM size")]
    [InlineData("--icount", "11", "--icount '11' is not a shift between 0 and 10")]
    public void BadOptionValues(string option, string value, string message) =>
        AssertRefused(CliProcess.Run("s3k", option, value, App("trapped")), global::System.Text.RegularExpressions.Regex.Escape(message));

    [Fact]
    public void RecordAndReplayTogether() =>
        AssertRefused(CliProcess.Run("s3k", "--record", "a", "--replay", "b", App("trapped")), "--record and --replay cannot be used together");

    [Fact]
    public void RecordedRunsReplay()
    {
        string schedule = Path.Combine(Path.GetTempPath(), $"bulwark-s3k-{Guid.NewGuid():N}.schedule");
        var first = CliProcess.Run("s3k", "--harts", "4", "--seed", "5", "--record", schedule, "--max-time", "0.01", App("hello"), App("hello", "app1.elf"));
        var again = CliProcess.Run("s3k", "--harts", "4", "--replay", schedule, "--max-time", "0.01", App("hello"), App("hello", "app1.elf"));
        Assert.Equal(first.Stdout, again.Stdout);
        // Both apps printed their two lines (interleaved as the seed's schedule has it).
        Assert.Equal(78, first.Stdout[(first.Stdout.IndexOf("# starting boot process\n") + 24)..].Length);
    }
}
