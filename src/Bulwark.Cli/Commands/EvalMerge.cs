using System.Text.Json;
using Bulwark.Cli.Report;
using Bulwark.Lab.Exploration;
using Bulwark.Lab.Passwords;

namespace Bulwark.Cli.Commands;

/// <summary>Combines the results.json of an eval's shards into the results the whole eval would have had.
/// Item k of the whole eval ran in shard k mod N, and each part's items follow those of the parts before
/// it, so each part's lists interleave back into the whole eval's order. The report is then made from
/// them exactly as from a whole run's (<see cref="EvalReport"/>).</summary>
public static class EvalMerge
{
    /// <summary>Whether the file is an eval's results.json (its "schema" is an eval's); explore's JSON has none.</summary>
    public static bool IsEvalResults(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("schema", out var schema)
                && schema.ValueKind == JsonValueKind.String && schema.GetString()!.StartsWith("bulwark-eval/", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return false; }
    }

    public static EvalResults Read(string path)
    {
        EvalResults results;
        try { results = ResultsJson.Read(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MergeException($"{path}: cannot read: {e.Message}"); }
        catch (Exception e) when (e is JsonException or InvalidDataException) { throw new MergeException($"{path}: not an eval's {ResultsJson.FileName}"); }
        if (results.Schema != EvalResults.CurrentSchema)
            throw new MergeException($"{path}: results of schema {results.Schema}; this bulwark reads {EvalResults.CurrentSchema}");
        return results;
    }

    /// <summary>The whole eval's results, without tables and figures (the report makes them); its context is
    /// shard 0's with <paramref name="command"/>, the merge, as its command, and every shard's is kept.</summary>
    public static EvalResults Merge(IReadOnlyList<(string Path, EvalResults Results)> files, string command)
    {
        var (firstPath, first) = files[0];
        foreach (var (path, r) in files.Skip(1))
        {
            if (r.Context.Commit != first.Context.Commit)
                throw new MergeException($"{path} was run at commit {r.Context.Commit} but {firstPath} at {first.Context.Commit}");
            if (r.Settings != first.Settings) throw new MergeException($"{path} is a shard of another eval than {firstPath} (the settings differ)");
        }
        var shardOf = ShardSet.Check(files.Select(f => (f.Path, f.Results.Shard)));
        var shards = files.Select((f, i) => (f.Path, f.Results, shardOf[i].Index)).OrderBy(s => s.Index).ToList();
        int offset = 0; // the whole eval's number of the part's first item

        List<T>? Interleave<T>(string part, Func<EvalResults, List<T>?> pick, int itemSize = 1)
        {
            var lists = shards.Select(s => pick(s.Results)).ToList();
            if (lists.All(l => l == null)) return null;
            int without = lists.IndexOf(null);
            if (without >= 0) throw new MergeException($"{shards[without].Path} ran other parts of the eval than {firstPath}");
            var items = lists.Select((l, s) => l!.Count % itemSize == 0 ? l.Chunk(itemSize).ToList()
                : throw new MergeException($"{shards[s].Path}: its {part} results are not whole items")).ToList();
            int total = items.Sum(i => i.Count);
            var next = new int[shards.Count];
            var merged = new List<T>();
            for (int k = offset; k < offset + total; k++)
            {
                int s = k % shards.Count;
                if (next[s] == items[s].Count) throw new MergeException($"{shards[s].Path}: too few {part} results for shard {s}/{shards.Count}");
                merged.AddRange(items[s][next[s]++]);
            }
            offset += total;
            return merged;
        }

        // In the order the eval runs its items.
        var attacks = Interleave("double-fetch attack", r => r.Attacks);
        var midasCosts = Interleave("Midas cost", r => r.MidasCosts);
        var passwordAttacks = Interleave("password attack", r => r.PasswordAttacks);
        var passwordCosts = Interleave("password cost", r => r.PasswordCosts, itemSize: PasswordEvaluation.Modes.Count);
        var entropy = Interleave("entropy", r => r.Entropy);
        var revocation = Interleave("revocation", r => r.Revocation);
        return first with
        {
            Shard = Shard.Whole.ToString(),
            Context = first.Context with { Command = command },
            ShardContexts = [.. shards.Select(s => s.Results.Context)],
            Attacks = attacks,
            MidasCosts = midasCosts,
            PasswordAttacks = passwordAttacks,
            PasswordCosts = passwordCosts,
            Entropy = entropy,
            Revocation = revocation,
            Tables = [],
            Figures = [],
        };
    }
}
