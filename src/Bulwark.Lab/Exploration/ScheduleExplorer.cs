using System.Diagnostics;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Lab.Exploration;

/// <summary>The result of a search over one target: how many schedules ran, and the first failing one, if any.</summary>
public sealed record ExplorationSearch<TResult>(
    int SchedulesTried, double Seconds, int Inconclusive, TResult? Failure, ulong? FailingSeed, ScheduleRecording? FailingSchedule)
    where TResult : class
{
    public bool Found => Failure != null;
    public double SchedulesPerSecond => Seconds > 0 ? SchedulesTried / Seconds : 0;
}

/// <summary>Runs a target under many schedules (seeded random or PCT: schedule i uses seed + i) and stops at
/// the first one the target judges failed, recorded so that it can be replayed. <paramref name="each"/>
/// sees every run (to aggregate figures over the whole budget).</summary>
public sealed class ScheduleExplorer<TResult>(IExplorationTarget<TResult> target, ExplorationStrategy strategy, int budget, int depth = 2, ulong seed = 0)
    where TResult : class
{
    public ExplorationSearch<TResult> Explore(Action<int>? progress = null, Action<TResult>? each = null, bool stopAtFailure = true)
    {
        var watch = Stopwatch.StartNew();
        long expectedSteps = strategy == ExplorationStrategy.Pct ? CountSteps() : 0;
        int inconclusive = 0;
        (TResult Result, ulong Seed, ScheduleRecording Schedule, int Tried)? first = null;
        for (int i = 0; i < budget; i++)
        {
            ulong s = seed + (ulong)i;
            ISchedulingStrategy chosen = strategy == ExplorationStrategy.Random
                ? new RandomStrategy(s)
                : new PctStrategy(s, depth, expectedSteps);
            var recording = ScheduleRecording.Record(chosen);
            var result = target.Run(recording, s);
            progress?.Invoke(i + 1);
            each?.Invoke(result);
            switch (target.Judge(result))
            {
                case ExplorationVerdict.Inconclusive:
                    inconclusive++;
                    break;
                case ExplorationVerdict.Failed:
                    first ??= (result, s, recording, i + 1);
                    if (stopAtFailure) return new ExplorationSearch<TResult>(i + 1, watch.Elapsed.TotalSeconds, inconclusive, result, s, recording);
                    break;
            }
        }
        return new ExplorationSearch<TResult>(budget, watch.Elapsed.TotalSeconds, inconclusive, first?.Result, first?.Seed, first?.Schedule);
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
