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
                throw new MergeException($"{path} is a shard of another exploration than {firstPath} (program, options, seed or budget differ)");
        }
        ShardSet.Check(shards.Select(s => (s.Path, s.Report.Shard)));

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

    private static bool SameSearch(ExploreReport a, ExploreReport b) =>
        a.Program == b.Program && a.ProgramId == b.ProgramId && a.Arguments.SequenceEqual(b.Arguments) && a.GuestOptions.SequenceEqual(b.GuestOptions)
        && a.Strategy == b.Strategy && a.Depth == b.Depth && a.Protect == b.Protect && a.MemoryProtection == b.MemoryProtection && a.Harts == b.Harts && a.Seed == b.Seed
        && a.Budget == b.Budget && a.MaxInstructions == b.MaxInstructions;
}
