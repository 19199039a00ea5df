namespace Bulwark.Machine.Scheduling;

/// <summary>Every choice that decides an interleaving. The scheduler asks only when there is a real
/// choice (more than one candidate), so a recording holds nothing else.</summary>
public interface ISchedulingStrategy
{
    /// <summary>Which of <paramref name="candidates"/> (thread ids, in a fixed order) runs next.</summary>
    int PickThread(IReadOnlyList<int> candidates);

    /// <summary>How many instructions the picked thread runs before the next choice.</summary>
    long Quantum();

    /// <summary>Whether a thread in a system call is preempted at this user access.</summary>
    bool PreemptInKernel(int tid);
}
