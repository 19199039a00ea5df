using Bulwark.Kernel;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Lab.Exploration;

public enum ExplorationStrategy
{
    Random,
    Pct,
}

public sealed record ExplorationSettings(
    string Program,
    IReadOnlyList<string> Arguments,
    ExplorationStrategy Strategy,
    int Budget,
    int Depth = 2,
    UserMemoryProtection Protection = UserMemoryProtection.None,
    int Harts = 4,
    ulong Seed = 0,
    long MaxInstructionsPerRun = 200_000_000,
    IReadOnlyList<(string Host, string Guest)>? Mounts = null)
{
    /// <summary>The rest of the machine every run gets (memory, environment, strictness, detection, the shared
    /// part's protection), as `run` would build it; the fields above override it. Null: a default kernel.</summary>
    public KernelOptions? Machine { get; init; }

    /// <summary>The part of the schedules this search runs (all of them by default).</summary>
    public Shard Shard { get; init; } = Shard.Whole;
}

/// <summary>The result of a search: how many schedules ran, and the first failing one, if any.</summary>
public sealed record ExplorationOutcome(
    int SchedulesTried, double Seconds, IReadOnlyList<int> InconclusiveSchedules, RunResult? Failure, int? FailingIndex, ulong? FailingSeed,
    ScheduleRecording? FailingSchedule)
{
    public int Inconclusive => InconclusiveSchedules.Count;
    public bool Found => Failure != null;
    public double SchedulesPerSecond => Seconds > 0 ? SchedulesTried / Seconds : 0;
}

/// <summary>Runs a Linux program under many schedules (seeded random or PCT) and stops at the first one that
/// ends in a kernel violation or a non-zero exit; that schedule is recorded so `run --replay` can
/// reproduce it. A run that hits the per-run instruction limit is counted as inconclusive. (The search
/// itself is <see cref="ScheduleExplorer{TResult}"/>, over any <see cref="IExplorationTarget{TResult}"/>.)</summary>
public sealed class Explorer(ExplorationSettings settings)
{
    private readonly LinuxProgramTarget _target = new(settings);

    public ExplorationOutcome Explore(Action<int>? progress = null)
    {
        var search = new ScheduleExplorer<RunResult>(_target, settings.Strategy, settings.Budget, settings.Depth, settings.Seed, settings.Shard).Explore(progress);
        return new ExplorationOutcome(search.SchedulesTried, search.Seconds, search.InconclusiveSchedules, search.Failure, search.FailingIndex, search.FailingSeed,
            search.FailingSchedule);
    }

    public RunResult RunOnce(ISchedulingStrategy strategy, ulong seed) => _target.Run(strategy, seed);
}
