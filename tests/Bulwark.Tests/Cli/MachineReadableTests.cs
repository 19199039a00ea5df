using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bulwark.Lab.Benchmarks;
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

    /// <summary>The block engine's figures, in the table and the JSON alike; compute's loops get compiled.</summary>
    [Fact]
    public void StatsReportWhatTheBlockEngineCompiled()
    {
        string file = Temp("stats.json");
        var r = CliProcess.Run("run", "--engine", "jit", "--jit-compile", "inline", "--harts", "1", "--stats", "--stats-json", file, Path.Combine(GuestCase.Directory, "compute.elf"), "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var counters = JsonNode.Parse(File.ReadAllText(file))!["counters"]!;
        Assert.Equal(TableValue(r.Stderr, "jit: regions compiled"), (long)counters["jit.blocks_compiled"]!);
        Assert.True((long)counters["jit.blocks_compiled"]! > 0);
        Assert.True((long)counters["jit.instructions_compiled"]! >= (long)counters["jit.blocks_compiled"]!);
        Assert.True((double)counters["jit.compiled_share"]! is > 50 and <= 100, r.Stderr);
        Assert.True((long)counters["jit.cache_il_bytes"]! > 0);
        // The interpreter has none of them; the block engine is the default.
        string plain = Temp("plain.json");
        CliProcess.Run("run", "--engine", "interpreter", "--harts", "1", "--stats-json", plain, Path.Combine(GuestCase.Directory, "compute.elf"), "1");
        Assert.Null(JsonNode.Parse(File.ReadAllText(plain))!["counters"]!["jit.blocks_compiled"]);
        string byDefault = Temp("default.json");
        CliProcess.Run("run", "--harts", "1", "--stats-json", byDefault, Path.Combine(GuestCase.Directory, "compute.elf"), "1");
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(byDefault))!["counters"]!["jit.blocks_compiled"]);
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
        var r = CliProcess.Run("bench", "--runs", "1", "--warm-up", "2", "--json", "--speed", "none", "--suite", suite, compute);
        Assert.Equal(0, r.ExitCode);
        var json = JsonNode.Parse(r.Stdout)!; // the whole of stdout is the document
        Assert.Equal(Environment.ProcessorCount, (int)json["machine"]!["cores"]!);
        Assert.Equal("jit", (string?)json["engine"]);
        Assert.Equal(2, (int)json["warm_up_rounds"]!);
        var speed = Assert.Single(json["speed"]!.AsArray())!;
        Assert.Equal("compute_small", (string?)speed["workload"]);
        Assert.True((double)speed["configurations"]![0]!["mips"]! > 0);

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

    /// <summary>The Midas table in text mode (its overhead cells hold brackets, which Spectre would read as markup), under the engine --engine names.</summary>
    [Fact]
    public void BenchPrintsTheSuiteTable()
    {
        string suite = Temp("suite.txt");
        File.WriteAllText(suite, $"null {Path.GetRelativePath(Path.GetTempPath(), Path.Combine(GuestCase.RepositoryPath("bench", "guests"), "null_syscall.elf"))} 2000\n");
        var r = CliProcess.Run("bench", "--runs", "1", "--warm-up", "1", "--speed", "none", "--engine", "jit", "--suite", suite);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("after a discarded warm-up round, 2 harts, seed 0, jit)", r.Stdout);
        Assert.Matches(@"null\s+2,0\d\d\s", r.Stdout);
    }

    /// <summary>The speed tables in text mode: wall time, CPU time (the block engine's worker thread makes
    /// them differ) and the ratios, each with a row for the workload.</summary>
    [Fact]
    public void BenchPrintsWallAndCpuTimeTables()
    {
        var r = CliProcess.Run("bench", "--runs", "1", "--warm-up", "1", "--suite", "none", "--speed", "none", Path.Combine(GuestCase.Directory, "compute_small.elf"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        int wall = r.Stdout.IndexOf("Wall time per run in ms", StringComparison.Ordinal);
        int cpu = r.Stdout.IndexOf("CPU time per run in ms", StringComparison.Ordinal);
        int ratios = r.Stdout.IndexOf("Time relative to qemu-riscv64", StringComparison.Ordinal);
        Assert.True(wall >= 0 && cpu > wall && ratios > cpu, r.Stdout);
        Assert.Matches(@"
\s+compute_small\s+[\d.]+\s+[\d.]+", r.Stdout[cpu..ratios]);
    }

    /// <summary>A speed file's workloads run under the interpreter, the block engine and qemu-riscv64 (when
    /// installed) with the same argv: a real program reads its input through a @NAME@ directory token, which
    /// the guest sees at the host's path. Both engines run the same instructions and every configuration
    /// prints the same.</summary>
    [Fact]
    public void BenchSpeedRunsEveryWorkloadUnderEveryConfiguration()
    {
        string speedFile = Temp("speed.txt");
        string real = GuestCase.RepositoryPath("tests", "guests", "real");
        string Relative(string path) => Path.GetRelativePath(Path.GetTempPath(), path);
        File.WriteAllText(speedFile,
            $"@LUA@ = {Relative(Path.Combine(real, "lua"))}\n" +
            $"small {Relative(Path.Combine(GuestCase.Directory, "compute.elf"))} 1\n" +
            $"lua_strings {Relative(Path.Combine(real, "lua.elf"))} @LUA@/strings.lua\n");
        var r = CliProcess.Run("bench", "--runs", "1", "--warm-up", "1", "--json", "--suite", "none", "--speed", speedFile);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = JsonNode.Parse(r.Stdout)!;
        string[] expected = (bool)json["qemu"]! ? ["interpreter", "jit", "qemu-riscv64"] : ["interpreter", "jit"];
        Assert.True(SpeedBenchmark.QemuInstalled() == (bool)json["qemu"]!);
        var workloads = json["speed"]!.AsArray();
        Assert.Equal(["small", "lua_strings"], workloads.Select(w => (string)w!["workload"]!));
        Assert.Equal(Path.Combine(real, "lua", "strings.lua"), (string?)workloads[1]!["arguments"]![0]);
        foreach (var w in workloads)
        {
            var configurations = w!["configurations"]!.AsArray();
            Assert.Equal(expected, configurations.Select(c => (string)c!["configuration"]!));
            long instructions = (long)w["instructions"]!;
            Assert.True(instructions > 1_000_000);
            Assert.Equal(instructions, (long)configurations[0]!["instructions"]!);
            Assert.Equal(instructions, (long)configurations[1]!["instructions"]!);
            Assert.Single(configurations[0]!["wall_seconds"]!.AsArray());
            Assert.Empty(w["mismatches"]!.AsArray());
            Assert.Equal(0, (int)w["exit_status"]!);
            // The compute guest's loops run far past the block engine's threshold; Lua's test script may not.
            if ((string)w["workload"]! == "small") Assert.True((long)w["jit"]!["blocks_compiled"]! > 0);
            if ((bool)json["qemu"]!) Assert.True((double)w["jit_to_qemu"]!["median"]! > 0);
            else Assert.Null(w["jit_to_qemu"]);
        }
    }

    /// <summary>A guest that reads the machine it runs on (etc_env prints the node name and /proc/cpuinfo) prints
    /// something else under qemu-riscv64 than under Bulwark: a failed benchmark, named on stderr.</summary>
    [Fact]
    public void BenchReportsAWorkloadWhoseOutputDiffers()
    {
        if (!SpeedBenchmark.QemuInstalled()) return; // only qemu-riscv64 sees another machine
        var r = CliProcess.Run("bench", "--runs", "1", "--warm-up", "1", "--suite", "none", "--speed", "none", Path.Combine(GuestCase.Directory, "etc_env.elf"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bulwark: etc_env: output differs: qemu-riscv64 (warm-up)", r.Stderr);
        Assert.DoesNotContain("etc_env: output differs: jit", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
