using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Cli;

/// <summary>`run --stats-json` and `bench --json`: documents a script can read, agreeing with the tables.</summary>
public sealed partial class MachineReadableTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"bulwark-json-{Guid.NewGuid():N}-{name}");

    private static long TableValue(string stderr, string label) =>
        long.Parse(Regex.Match(stderr, $@"{label}\s+([\d,]+)").Groups[1].Value.Replace(",", ""));

    [Fact]
    public void StatsJsonHoldsTheStatsTablesCountersAndTheExitStatus()
    {
        string file = Temp("stats.json");
        var r = CliProcess.Run("run", "--stats", "--stats-json", file, "--protect", "midas", Path.Combine(GuestCase.Directory, "hello.elf"));
        Assert.Equal(7, r.ExitCode);
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal(7, (int)json["exit_status"]!);
        var counters = json["counters"]!;
        foreach (var (key, label) in new[] { ("instructions", "instructions"), ("syscalls", "syscalls"), ("page_faults", "page faults"), ("midas.pages_protected", "midas: pages protected") })
            Assert.Equal(TableValue(r.Stderr, label), (long)counters[key]!);
        Assert.True((long)counters["instructions"]! > 1000);
        Assert.True((long)counters["virtual_time_ns"]! > 0);
    }

    [Fact]
    public void StatsJsonIntoAMissingDirectoryIsRefusedBeforeTheRun()
    {
        var r = CliProcess.Run("run", "--stats-json", "/nonexistent/dir/stats.json", Path.Combine(GuestCase.Directory, "hello.elf"));
        BadInputTests.AssertRefused(r, "--stats-json");
    }

    /// <summary>bench runs its guests as the kernel does in-process, with an empty environment: run with --clear-env matches.</summary>
    [Fact]
    public void BenchJsonIsOneDocumentWhoseCountsAreTheRunsCounts()
    {
        string suite = Temp("suite.txt");
        string guests = GuestCase.RepositoryPath("bench", "guests");
        string relative = Path.GetRelativePath(Path.GetTempPath(), Path.Combine(guests, "null_syscall.elf"));
        File.WriteAllText(suite, $"# one cheap benchmark\nnull {relative} 2000\n");
        string asBenchRunsIt = Path.Combine(Path.GetTempPath(), relative); // argv[0] as bench gives it
        string compute = Path.Combine(GuestCase.Directory, "compute_small.elf");
        var r = CliProcess.Run("bench", "--runs", "1", "--json", "--suite", suite, compute);
        Assert.Equal(0, r.ExitCode);
        var json = JsonNode.Parse(r.Stdout)!; // the whole of stdout is the document
        var speed = json["speed"]!;
        Assert.Equal("compute_small.elf", (string?)speed["guest"]);
        Assert.True((double)speed["mips"]! > 0);

        string stats = Temp("compute.json");
        CliProcess.Run("run", "--clear-env", "--harts", "1", "--stats-json", stats, compute);
        Assert.Equal((long)JsonNode.Parse(File.ReadAllText(stats))!["counters"]!["instructions"]!, (long)speed["instructions"]!);

        var row = Assert.Single(json["suite"]!.AsArray())!;
        Assert.Equal("null", (string?)row["benchmark"]);
        CliProcess.Run("run", "--clear-env", "--harts", "2", "--stats-json", stats, asBenchRunsIt, "2000");
        var counters = JsonNode.Parse(File.ReadAllText(stats))!["counters"]!;
        Assert.Equal((long)counters["instructions"]!, (long)row["instructions_off"]!);
        Assert.Equal((long)counters["syscalls"]!, (long)row["syscalls"]!);
        Assert.True((long)row["instructions_midas"]! >= (long)row["instructions_off"]!);
    }
}
