namespace Bulwark.Machine.Scheduling;

/// <summary>Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): every thread gets a
/// random priority, the highest-priority runnable thread always runs, and at d-1 random steps the
/// running thread drops to a low priority. A bug of depth d is found with probability at least
/// 1/(n·k^(d-1)). After the last change point the schedule turns fair (random), so a spinning
/// high-priority thread cannot starve the others forever.</summary>
public sealed class PctStrategy : ISchedulingStrategy
{
    /// <summary>Quanta vary (1..MaxQuantum): a fixed length would always stop a short loop at the same phase.</summary>
    private const long MaxQuantum = 1000;
    private readonly SplitMix64 _random;
    private readonly int _depth;
    private readonly long[] _changePoints;
    private readonly Dictionary<int, long> _priorities = [];
    private long _step;
    private int _changesDone;

    /// <param name="expectedSteps">k: about how many scheduling steps a run takes.</param>
    public PctStrategy(ulong seed, int depth, long expectedSteps)
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), "depth must be at least 1");
        _random = new SplitMix64(seed);
        _depth = depth;
        long k = Math.Max(1, expectedSteps);
        _changePoints = Enumerable.Range(0, depth - 1).Select(_ => 1 + (long)(_random.Next() % (ulong)k)).Order().ToArray();
    }

    public long Steps => _step;

    private bool Fair => _changesDone >= _changePoints.Length && _step > (_changePoints.Length > 0 ? _changePoints[^1] : 0);

    private long PriorityOf(int tid)
    {
        if (!_priorities.TryGetValue(tid, out long p))
            _priorities[tid] = p = _depth + (long)(_random.Next() >> 8);
        return p;
    }

    /// <summary>Advances one step; at a change point the given thread drops below every initial priority.</summary>
    private bool Step(int runningTid)
    {
        _step++;
        bool change = false;
        while (_changesDone < _changePoints.Length && _changePoints[_changesDone] <= _step)
        {
            _priorities[runningTid] = _depth - 1 - _changesDone;
            _changesDone++;
            change = true;
        }
        return change;
    }

    public int PickThread(IReadOnlyList<int> candidates)
    {
        if (Fair)
        {
            _step++;
            return _random.Below(candidates.Count);
        }
        int best = Highest(candidates);
        if (Step(candidates[best])) best = Highest(candidates);
        return best;
    }

    private int Highest(IReadOnlyList<int> candidates)
    {
        int best = 0;
        for (int i = 1; i < candidates.Count; i++)
            if (PriorityOf(candidates[i]) > PriorityOf(candidates[best])) best = i;
        return best;
    }

    public long Quantum() => 1 + (long)(_random.Next() % MaxQuantum);

    public bool PreemptInKernel(int tid)
    {
        if (Fair)
        {
            _step++;
            return _random.Below(10) == 0;
        }
        PriorityOf(tid);
        return Step(tid);
    }
}
