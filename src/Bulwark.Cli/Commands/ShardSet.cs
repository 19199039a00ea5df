using Bulwark.Lab.Exploration;

namespace Bulwark.Cli.Commands;

/// <summary>The shards `bulwark merge` is given must be all N shards of one split, each once.</summary>
public static class ShardSet
{
    /// <summary>Each file's shard, in the order given; a set that is not 0/N to (N-1)/N exactly once is a
    /// <see cref="MergeException"/> naming what is wrong.</summary>
    public static List<Shard> Check(IEnumerable<(string Path, string Shard)> files)
    {
        var parts = files.Select(f => (f.Path, Shard: Shard.TryParse(f.Shard, out var s) ? s : throw new MergeException($"{f.Path}: shard '{f.Shard}' is not I/N"))).ToList();
        int count = parts[0].Shard.Count;
        if (parts.FirstOrDefault(p => p.Shard.Count != count) is { Path: not null } other)
            throw new MergeException($"{other.Path} is shard {other.Shard} but {parts[0].Path} is one of {count}");
        foreach (var group in parts.GroupBy(p => p.Shard.Index).Where(g => g.Count() > 1))
            throw new MergeException($"shard {group.Key}/{count} is given twice ({string.Join(", ", group.Select(g => g.Path))})");
        var missing = Enumerable.Range(0, count).Except(parts.Select(p => p.Shard.Index)).ToList();
        if (missing.Count > 0)
            throw new MergeException($"shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(i => $"{i}/{count}"))} missing");
        return [.. parts.Select(p => p.Shard)];
    }
}

/// <summary>Results `bulwark merge` cannot combine (unreadable, not a shard's, or not one split's shards).</summary>
public sealed class MergeException(string message) : Exception(message);
