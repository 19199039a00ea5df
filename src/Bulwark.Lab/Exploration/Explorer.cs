using System.Diagnostics;
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
    IReadOnlyList<(string Host, string Guest)>? Mounts = null);

/// <summary>The result of a search: how many schedules ran, and the first failing one, if any.</summary>
public sealed record ExplorationOutcome(
    int SchedulesTried, double Seconds, int Inconclusive, RunResult? Failure, ulong? FailingSeed, ScheduleRecording? FailingSchedule)
{
    public bool Found => Failure != null;
    public double SchedulesPerSecond => Seconds > 0 ? SchedulesTried / Seconds : 0;
}

/// <summary>Runs a program under many schedules (seeded random or PCT) and stops at the first one that
/// ends in a kernel violation or a non-zero exit; that schedule is recorded so `run --replay` can
/// reproduce it. A run that hits the per-run instruction limit is counted as inconclusive.</summary>
public sealed class Explorer(ExplorationSettings settings)
{
    private const int InstructionLimitStatus = 124;

    public ExplorationOutcome Explore(Action<int>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        long expectedSteps = settings.Strategy == ExplorationStrategy.Pct ? CountSteps() : 0;
        int inconclusive = 0;
        for (int i = 0; i < settings.Budget; i++)
        {
            ulong seed = settings.Seed + (ulong)i;
            ISchedulingStrategy strategy = settings.Strategy == ExplorationStrategy.Random
                ? new RandomStrategy(seed)
                : new PctStrategy(seed, settings.Depth, expectedSteps);
            var recording = ScheduleRecording.Record(strategy);
            var result = RunOnce(recording, seed);
            progress?.Invoke(i + 1);
            if (result.ExitStatus == InstructionLimitStatus)
            {
                inconclusive++;
                continue;
            }
            if (result.ExitStatus != 0)
                return new ExplorationOutcome(i + 1, watch.Elapsed.TotalSeconds, inconclusive, result, seed, recording);
        }
        return new ExplorationOutcome(settings.Budget, watch.Elapsed.TotalSeconds, inconclusive, null, null, null);
    }

    /// <summary>PCT needs k, the number of scheduling steps (thread picks and in-kernel preemption
    /// points) of a run: counted on one random run.</summary>
    private long CountSteps()
    {
        var counter = new StepCounter(new RandomStrategy(settings.Seed));
        RunOnce(counter, settings.Seed);
        return Math.Max(1, counter.Steps);
    }

    private sealed class StepCounter(ISchedulingStrategy inner) : ISchedulingStrategy
    {
        public long Steps { get; private set; }

        public int PickThread(IReadOnlyList<int> candidates)
        {
            Steps++;
            return inner.PickThread(candidates);
        }

        public long Quantum() => inner.Quantum();

        public bool PreemptInKernel(int tid)
        {
            Steps++;
            return inner.PreemptInKernel(tid);
        }
    }

    public RunResult RunOnce(ISchedulingStrategy strategy, ulong seed)
    {
        var kernel = new KernelCore(new KernelOptions
        {
            Harts = settings.Harts,
            Seed = seed,
            Protection = settings.Protection,
            MaxInstructions = settings.MaxInstructionsPerRun,
            Mounts = settings.Mounts ?? [],
            Strategy = strategy,
        });
        return kernel.Run(settings.Program, [settings.Program, .. settings.Arguments]);
    }
}
