using System.Diagnostics;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Lab.Exploration;

/// <summary>The result of a search over one target: how many schedules ran, which were inconclusive (by
/// schedule number j, run with seed + j), and the first failing one, if any.</summary>
public sealed record ExplorationSearch<TResult>(
    int SchedulesTried, double Seconds, IReadOnlyList<int> InconclusiveSchedules, TResult? Failure, int? FailingIndex, ulong? FailingSeed,
    ScheduleRecording? FailingSchedule)
    where TResult : class
{
    public int Inconclusive => InconclusiveSchedules.Count;
    public bool Found => Failure != null;
    public double SchedulesPerSecond => Seconds > 0 ? SchedulesTried / Seconds : 0;
}

/// <summary>Runs a target under many schedules (seeded random or PCT: schedule i uses seed + i) and stops at
/// the first one the target judges failed, recorded so that it can be replayed. <paramref name="each"/>
/// sees every run (to aggregate figures over the whole budget). A <see cref="Shard"/> runs only its own
/// schedules, each exactly as the whole search would have run it.</summary>
public sealed class ScheduleExplorer<TResult>(
    IExplorationTarget<TResult> target, ExplorationStrategy strategy, int budget, int depth = 2, ulong seed = 0, Shard? shard = null)
    where TResult : class
{
    public ExplorationSearch<TResult> Explore(Action<int>? progress = null, Action<TResult>? each = null, bool stopAtFailure = true)
    {
        var watch = Stopwatch.StartNew();
        long expectedSteps = strategy == ExplorationStrategy.Pct ? CountSteps() : 0;
        var inconclusive = new List<int>();
        var part = shard ?? Shard.Whole;
        int tried = 0;
        (TResult Result, int Index, ScheduleRecording Schedule)? first = null;
        for (int i = 0; i < budget; i++)
        {
            if (!part.Contains(i)) continue;
            ulong s = seed + (ulong)i;
            ISchedulingStrategy chosen = strategy == ExplorationStrategy.Random
                ? new RandomStrategy(s)
                : new PctStrategy(s, depth, expectedSteps);
            var recording = ScheduleRecording.Record(chosen);
            var result = target.Run(recording, s);
            tried++;
            progress?.Invoke(tried);
            each?.Invoke(result);
            switch (target.Judge(result))
            {
                case ExplorationVerdict.Inconclusive:
                    inconclusive.Add(i);
                    break;
                case ExplorationVerdict.Failed:
                    first ??= (result, i, recording);
                    if (stopAtFailure) return Outcome();
                    break;
            }
        }
        return Outcome();

        ExplorationSearch<TResult> Outcome() =>
            new(tried, watch.Elapsed.TotalSeconds, inconclusive, first?.Result, first?.Index, first is { } f ? seed + (ulong)f.Index : null, first?.Schedule);
    }

    /// <summary>PCT needs k, the number of scheduling steps of a run: counted on one random run.</summary>
    private long CountSteps()
    {
        var counter = new StepCounter(new RandomStrategy(seed));
        target.Run(counter, seed);
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
}
