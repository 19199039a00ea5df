using Bulwark.Machine.Scheduling;

namespace Bulwark.Lab.Exploration;

/// <summary>What one explored run ended in.</summary>
public enum ExplorationVerdict
{
    /// <summary>The property held.</summary>
    Clean,
    /// <summary>The property broke: the schedule is worth keeping.</summary>
    Failed,
    /// <summary>The run said nothing (it hit its limit before the end).</summary>
    Inconclusive,
}

/// <summary>Something the explorer can run under a schedule: a Linux program on the Linux kernel, s3k programs
/// on the board. Each run is a fresh system built from <paramref name="seed"/> and driven by the strategy.</summary>
public interface IExplorationTarget<TResult>
{
    TResult Run(ISchedulingStrategy strategy, ulong seed);

    ExplorationVerdict Judge(TResult result);
}
