namespace Bulwark.Cli.Commands;

/// <summary>Combines the --json results of the shards of one exploration into the report the whole search
/// would have made. A whole search stops at its first failure j; every shard ran all of its schedules
/// before its own first failure, so each ran all of its schedules below j and the shards together
/// ran exactly schedules 0..j: the merged counts are theirs below j, plus the failure.</summary>
public static class ExploreMerge
{
    public static ExploreReport Merge(IReadOnlyList<(string Path, ExploreReport Report)> shards, string output)
    {
        var (firstPath, first) = shards[0];
        foreach (var (path, r) in shards.Skip(1))
        {
            if (!SameSearch(first, r))
                throw new ExploreReportException($"{path} is a shard of another exploration than {firstPath} (program, options, seed or budget differ)");
        }
        var parts = shards.Select(s => (s.Path, Shard: ParseShard(s.Path, s.Report.Shard))).ToList();
        int count = parts[0].Shard.Count;
        if (parts.FirstOrDefault(p => p.Shard.Count != count) is { Path: not null } other)
            throw new ExploreReportException($"{other.Path} is shard {other.Shard} but {parts[0].Path} is one of {count}");
        foreach (var group in parts.GroupBy(p => p.Shard.Index).Where(g => g.Count() > 1))
            throw new ExploreReportException($"shard {group.Key}/{count} is given twice ({string.Join(", ", group.Select(g => g.Path))})");
        var missing = Enumerable.Range(0, count).Except(parts.Select(p => p.Shard.Index)).ToList();
        if (missing.Count > 0)
            throw new ExploreReportException($"shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(i => $"{i}/{count}"))} missing");

        var failure = shards.Select(s => s.Report.Failure).Where(f => f != null).MinBy(f => f!.Schedule);
        int end = failure?.Schedule ?? first.Budget;
        int tried = failure != null ? end + 1 : first.Budget;
        int[] inconclusive = [.. shards.SelectMany(s => s.Report.InconclusiveSchedules).Where(j => j < end).Order()];
        var merged = failure == null ? null : failure with
        {
            ScheduleFile = output,
            Replay = ExploreReport.ReplayLine(output, first.GuestOptions, first.Program, first.Arguments),
        };
        return first with
        {
            Shard = "0/1",
            SchedulesTried = tried,
            InconclusiveSchedules = inconclusive,
            // The machine time the search took, summed over the shards.
            Seconds = shards.Sum(s => s.Report.Seconds),
            Failure = merged,
        };
    }

    private static Lab.Exploration.Shard ParseShard(string path, string text) =>
        Lab.Exploration.Shard.TryParse(text, out var shard) ? shard : throw new ExploreReportException($"{path}: shard '{text}' is not I/N");

    private static bool SameSearch(ExploreReport a, ExploreReport b) =>
        a.Program == b.Program && a.ProgramId == b.ProgramId && a.Arguments.SequenceEqual(b.Arguments) && a.GuestOptions.SequenceEqual(b.GuestOptions)
        && a.Strategy == b.Strategy && a.Depth == b.Depth && a.Protect == b.Protect && a.MemoryProtection == b.MemoryProtection && a.Harts == b.Harts && a.Seed == b.Seed
        && a.Budget == b.Budget && a.MaxInstructions == b.MaxInstructions;
}
