using System.Diagnostics;
using System.Text.Json.Nodes;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Cli;

/// <summary>`explore --shard I/N --json` and `bulwark merge`: four shards run locally merge into exactly the
/// result one machine gets (every figure but the time taken, and the same failing schedule file).</summary>
public sealed class ExploreShardTests
{
    private static readonly string Lab = GuestCase.RepositoryPath("lab", "doublefetch");

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"bulwark-shard-{Guid.NewGuid():N}-{name}");

    /// <summary>The whole search's JSON and the merge of its shards', with "seconds" (machine time) left out.</summary>
    private static (JsonObject Whole, JsonObject Merged, CliProcess.Result Merge, string WholeSchedule, string MergedSchedule, List<JsonNode> Shards)
        WholeAndMerged(int shards, params string[] explore)
    {
        string wholeSchedule = Temp("whole.schedule"), mergedSchedule = Temp("merged.schedule");
        var whole = CliProcess.Run(["explore", "--json", "--output", wholeSchedule, .. explore]);
        var files = new List<string>();
        var shardJson = new List<JsonNode>();
        for (int i = 0; i < shards; i++)
        {
            string file = Temp($"{i}.json");
            var shard = CliProcess.Run(["explore", "--json", "--shard", $"{i}/{shards}", "--output", Temp($"{i}.schedule"), .. explore]);
            Assert.True(shard.ExitCode is 0 or 1, shard.Stderr);
            Assert.Equal($"{i}/{shards}", (string?)JsonNode.Parse(shard.Stdout)!["shard"]);
            File.WriteAllText(file, shard.Stdout);
            shardJson.Add(JsonNode.Parse(shard.Stdout)!);
            files.Add(file);
        }
        files.Reverse(); // the order of the files does not matter
        var merged = CliProcess.Run(["merge", "--json", "--output", mergedSchedule, .. files]);
        Assert.Equal(whole.ExitCode, merged.ExitCode);
        var wholeJson = JsonNode.Parse(whole.Stdout)!.AsObject();
        var mergedJson = JsonNode.Parse(merged.Stdout)!.AsObject();
        wholeJson.Remove("seconds");
        mergedJson.Remove("seconds");
        return (wholeJson, mergedJson, merged, wholeSchedule, mergedSchedule, shardJson);
    }

    [Fact]
    public void FourShardsOfASearchThatFindsAFailureMergeIntoTheWholeSearch()
    {
        string elf = Path.Combine(Lab, "size_check_exploit.elf");
        // The instruction limit makes some runs inconclusive, on both sides of the first failure.
        var (whole, merged, _, wholeSchedule, mergedSchedule, shards) = WholeAndMerged(4, elf, "--budget", "40", "--seed", "100", "--max-instructions", "150000");
        Assert.Equal(1, (int)whole["violated"]!);
        Assert.True((int)whole["inconclusive"]! >= 1);
        var failure = whole["failure"]!.AsObject();
        // A shard went past the whole search's failure: what it saw there must not count.
        Assert.Contains(shards, s => s["inconclusive_schedules"]!.AsArray().Any(j => (int)j! > (int)failure["schedule"]!));
        // The merged failure names its own schedule file; everything else is the whole search's.
        Assert.Equal(mergedSchedule, (string?)merged["failure"]!["schedule_file"]);
        Assert.Contains(mergedSchedule, (string?)merged["failure"]!["replay"]);
        foreach (var o in new[] { whole, merged })
        {
            o["failure"]!.AsObject().Remove("schedule_file");
            o["failure"]!.AsObject().Remove("replay");
        }
        Assert.Equal(whole.ToJsonString(), merged.ToJsonString());
        Assert.Equal(File.ReadAllText(wholeSchedule), File.ReadAllText(mergedSchedule));
        Assert.Equal((int)failure["schedule"]! + 1, (int)whole["schedules_tried"]!);
    }

    [Fact]
    public void ShardsOfASearchWithOnlyInconclusiveRunsMergeIntoTheWholeSearch()
    {
        string elf = Path.Combine(Lab, "size_check_benign.elf");
        var (whole, merged, merge, _, _, _) = WholeAndMerged(3, elf, "--budget", "7", "--max-instructions", "2000");
        Assert.Equal(7, (int)whole["inconclusive"]!);
        Assert.Equal(0, (int)whole["held"]!);
        Assert.Equal(whole.ToJsonString(), merged.ToJsonString());
        Assert.Equal(0, merge.ExitCode);
    }

    [Fact]
    public void TheMergedTextReportIsTheWholeSearchs()
    {
        string elf = Path.Combine(Lab, "size_check_exploit.elf");
        string output = Temp("text.schedule");
        var whole = CliProcess.Run("explore", "--output", output, elf, "--budget", "20", "--seed", "7");
        var files = Enumerable.Range(0, 2).Select(i =>
        {
            string file = Temp($"t{i}.json");
            File.WriteAllText(file, CliProcess.Run("explore", "--json", "--shard", $"{i}/2", "--output", Temp("x"), elf, "--budget", "20", "--seed", "7").Stdout);
            return file;
        }).ToArray();
        var merged = CliProcess.Run(["merge", "--output", output, .. files]);
        static string WithoutRate(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\([\d.]+ schedules/s\)", "");
        Assert.Equal(WithoutRate(whole.Stdout), WithoutRate(merged.Stdout));
        Assert.Contains("outcome: FOUND at schedule", merged.Stdout);
    }

    [Fact]
    public void MergeRefusesIncompleteOrMixedShards()
    {
        string elf = Path.Combine(Lab, "size_check_benign.elf");
        string[] Shard(int i, int n, string seed)
        {
            string file = Temp($"m{i}{n}{seed}.json");
            File.WriteAllText(file, CliProcess.Run("explore", "--json", "--shard", $"{i}/{n}", elf, "--budget", "2", "--seed", seed).Stdout);
            return [file];
        }
        var a0 = Shard(0, 2, "0");
        var a1 = Shard(1, 2, "0");
        var other1 = Shard(1, 2, "5");
        BadInputTests.AssertRefused(CliProcess.Run(["merge", .. a0]), "shard 1/2 missing");
        BadInputTests.AssertRefused(CliProcess.Run(["merge", .. a0, .. a0, .. a1]), "shard 0/2 is given twice");
        BadInputTests.AssertRefused(CliProcess.Run(["merge", .. a0, .. other1]), "is a shard of another exploration");
        string notJson = Temp("not.json");
        File.WriteAllText(notJson, "schedules tried: 2");
        BadInputTests.AssertRefused(CliProcess.Run("merge", notJson), "not an explore --json result");
        BadInputTests.AssertRefused(CliProcess.Run("merge", Temp("missing.json")), "cannot read");
        BadInputTests.AssertRefused(CliProcess.Run("explore", "--shard", "2/2", elf), "--shard '2/2' is not I/N");
    }

    /// <summary>explore takes run's guest options, and the replay line it prints repeats the ones a schedule
    /// file does not record, so the replay builds the same machine.</summary>
    [Fact]
    public void ExploreTakesRunsGuestOptionsAndItsReplayLineRepeatsThem()
    {
        string elf = Path.Combine(GuestCase.Directory, "enosys.elf");
        string schedule = Temp("strict.schedule");
        var lenient = CliProcess.Run("explore", elf, "--budget", "3");
        Assert.Equal(0, lenient.ExitCode);
        var strict = CliProcess.Run("explore", "--output", schedule, "--strict", "--memory", "64M", "--env", "GREETING=hello world", elf, "--budget", "3");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("outcome: FOUND at schedule 1 (seed 0): exit 126: unimplemented syscall 258", strict.Stdout);
        string replay = strict.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("bulwark run --replay")).Trim();
        Assert.Contains("--memory 64M --strict --env 'GREETING=hello world' ", replay);
        // The printed line, run by a shell with `bulwark` being this build, fails the same way.
        string dll = Path.Combine(AppContext.BaseDirectory, "bulwark.dll");
        var shell = new ProcessStartInfo("sh", ["-c", $"bulwark() {{ dotnet '{dll}' \"$@\"; }}; {replay}"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(shell)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(126, process.ExitCode);
        Assert.Contains("unimplemented syscall 258 (riscv_hwprobe)", stderr);
        Assert.DoesNotContain("warning", stderr);
    }
}
