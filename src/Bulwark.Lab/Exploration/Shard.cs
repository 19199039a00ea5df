namespace Bulwark.Lab.Exploration;

/// <summary>One machine's part of a search over schedules 0..budget-1: schedule j belongs to shard j mod
/// Count. Interleaving (rather than cutting the range in blocks) spreads the expensive seeds and keeps
/// every shard's first failure close to the whole search's, so shards that stop early waste little.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard Whole = new(0, 1);

    public bool Contains(int schedule) => schedule % Count == Index;

    /// <summary>"I/N" with 0 &lt;= I &lt; N &lt;= 100000 (Kubernetes' JOB_COMPLETION_INDEX and Slurm's
    /// SLURM_ARRAY_TASK_ID with --array=0-(N-1) count from 0).</summary>
    public static bool TryParse(string? text, out Shard shard)
    {
        shard = Whole;
        var parts = text?.Split('/');
        if (parts is not [var i, var n] || !int.TryParse(i, out int index) || !int.TryParse(n, out int count)) return false;
        if (count is < 1 or > 100_000 || index < 0 || index >= count) return false;
        shard = new Shard(index, count);
        return true;
    }

    public override string ToString() => $"{Index}/{Count}";
}
