using System.Text.Json.Nodes;
using Bulwark.Cli.Report;

namespace Bulwark.Tests.Cli;

/// <summary>`eval --shard I/N` and `bulwark merge` of its results: four shards of the <see cref="SmallEval"/>,
/// run locally, merge into the whole eval's results (every count, verdict, flag and instruction count; only
/// times differ) and the same report; a missing, duplicated or mismatched shard is refused.</summary>
[Collection(SmallEvalCollection.Name)]
public sealed class EvalShardTests(SmallEval eval)
{
    /// <summary>Fields measured in host time (and the ratios and medians made of them); they differ between any two runs.</summary>
    private static string[] TimeFields => ["wallSeconds", "cpuSeconds", "wall", "cpu", "wallOverheadPercent", "cpuOverheadPercent",
        "treeWallOverheadPercent", "farBenchWallOverheadPercent"];

    /// <summary>The tables of host times.</summary>
    private static string[] TimeTables => ["midas-wall", "midas-cpu", "password-tree-time", "password-far-time"];

    [Fact]
    public void FourShardsMergeIntoTheWholeEval()
    {
        string directory = Path.Combine(eval.Directory, "shards-" + Guid.NewGuid().ToString("N")[..8]);
        var files = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            string output = Path.Combine(directory, i.ToString());
            var shard = CliProcess.RunFor(TimeSpan.FromMinutes(10), "", ["eval", .. eval.Options, "--shard", $"{i}/4", "--out", output]);
            Assert.True(shard.ExitCode == 0, $"status {shard.ExitCode}: {shard.Stderr}");
            var part = ResultsJson.Read(Path.Combine(output, ResultsJson.FileName));
            Assert.Equal($"{i}/4", part.Shard);
            // Item k of the whole eval is shard k mod 4's; the handlers are items 0 to 13.
            Assert.Equal(eval.Results.Attacks!.Where((_, k) => k % 4 == i).Select(a => a.Handler), part.Attacks!.Select(a => a.Handler));
            Assert.Empty(part.Tables);
            Assert.False(File.Exists(Path.Combine(output, HtmlReport.FileName)));
            files.Add(Path.Combine(output, ResultsJson.FileName));
        }
        files.Reverse(); // the order of the files does not matter
        string merged = Path.Combine(directory, "merged");
        var merge = CliProcess.Run(["merge", "--out", merged, .. files]);
        Assert.True(merge.ExitCode == eval.Result.ExitCode, $"status {merge.ExitCode}, the whole eval's {eval.Result.ExitCode}: {merge.Stderr}");

        string whole = WithoutTimes(Path.Combine(eval.Output, ResultsJson.FileName));
        Assert.Contains("\"revocation-security\"", whole); // the comparison covers the tables that are not times
        Assert.Equal(whole, WithoutTimes(Path.Combine(merged, ResultsJson.FileName)));

        var results = ResultsJson.Read(Path.Combine(merged, ResultsJson.FileName));
        Assert.Equal("0/1", results.Shard);
        Assert.Equal(eval.Results.Context.Commit, results.Context.Commit);
        Assert.StartsWith("bulwark merge --out", results.Context.Command);
        Assert.Equal(4, results.ShardContexts!.Count);
        for (int i = 0; i < 4; i++) Assert.Contains($" --shard {i}/4 ", results.ShardContexts[i].Command);
        Assert.Empty(EvalReportTests.PageProblems(File.ReadAllText(Path.Combine(merged, HtmlReport.FileName)), results, merged, rendered: false));
        foreach (var png in new[] { "attacks.png", "statistical-entropy.png" }) // drawn from counts only
            Assert.Equal(File.ReadAllBytes(Path.Combine(eval.Output, png)), File.ReadAllBytes(Path.Combine(merged, png)));
        foreach (var verdict in eval.Result.Stdout.Split('\n').Where(l => l.StartsWith("Exploited without") || l.StartsWith("Held by Midas")
                     || l.StartsWith("Races flagged") || l.StartsWith("Password attacks as designed")))
            Assert.Contains(verdict, merge.Stdout);
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>results.json without the run's context and without anything measured in host time.</summary>
    private static string WithoutTimes(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root.Remove("context");
        root.Remove("shardContexts");
        RemoveTimes(root);
        var tables = root["tables"]!.AsArray();
        foreach (var table in tables.Where(t => TimeTables.Contains((string?)t!["id"])).ToList()) tables.Remove(table);
        return root.ToJsonString();
    }

    private static void RemoveTimes(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var field in TimeFields) o.Remove(field);
            foreach (var (_, child) in o) RemoveTimes(child);
        }
        else if (node is JsonArray a)
            foreach (var child in a) RemoveTimes(child);
    }

    [Fact]
    public void MergeRefusesAMissingADuplicatedOrAMismatchedShard()
    {
        string directory = Path.Combine(eval.Directory, "refused-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        string wholeFile = Path.Combine(eval.Output, ResultsJson.FileName);
        // Shards made from the whole eval's results: the merge checks the set before the contents.
        string Shard(string name, string shard, Action<JsonObject>? edit = null)
        {
            var root = JsonNode.Parse(File.ReadAllText(wholeFile))!.AsObject();
            root["shard"] = shard;
            edit?.Invoke(root);
            string file = Path.Combine(directory, name + ".json");
            File.WriteAllText(file, root.ToJsonString());
            return file;
        }
        string a0 = Shard("a0", "0/2"), a1 = Shard("a1", "1/2");
        string[] Merge(params string[] files) => ["merge", "--out", Path.Combine(directory, "out"), .. files];
        BadInputTests.AssertRefused(CliProcess.Run(Merge(a0)), "shard 1/2 missing");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(a0, a0, a1)), "shard 0/2 is given twice");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(a0, Shard("b1", "1/3"))), "b1.json is shard 1/3 but .*a0.json is one of 2");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(a0, wholeFile)), "is shard 0/1 but .*a0.json is one of 2");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(a0, Shard("budget", "1/2", r => r["settings"]!["budget"] = 2))),
            "budget.json is a shard of another eval than .*a0.json \\(the settings differ\\)");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(a0, Shard("commit", "1/2", r => r["context"]!["commit"] = "0123abc"))),
            "commit.json was run at commit 0123abc but .*a0.json at ");
        // Shard 0 of 2 must hold 7 of the 14 handlers.
        string short0 = Shard("short", "0/2", r => r["attacks"]!.AsArray().RemoveAt(0));
        BadInputTests.AssertRefused(CliProcess.Run(Merge(short0, a1)), "short.json: too few double-fetch attack results for shard 0/2");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(a0, Shard("noparts", "1/2", r => r["revocation"] = null))),
            "noparts.json ran other parts of the eval than .*a0.json");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(Shard("old", "0/1", r => r["schema"] = "bulwark-eval/1"))),
            "old.json: results of schema bulwark-eval/1; this bulwark reads bulwark-eval/2");
        BadInputTests.AssertRefused(CliProcess.Run(Merge(Shard("partial", "0/1", r => r.Remove("settings")))), "partial.json: not an eval's results.json");
        BadInputTests.AssertRefused(CliProcess.Run("merge", "--json", a0, a1), "--output and --json are for explore results");
        Assert.False(Directory.Exists(Path.Combine(directory, "out")));
        Directory.Delete(directory, recursive: true);
    }
}
