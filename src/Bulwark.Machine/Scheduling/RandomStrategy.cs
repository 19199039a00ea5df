namespace Bulwark.Machine.Scheduling;

/// <summary>Uniformly random choices from a seed: the default strategy of `bulwark run`.</summary>
public sealed class RandomStrategy(ulong seed, long maxQuantum = 4000, int kernelPreemptPercent = 10) : ISchedulingStrategy
{
    private readonly SplitMix64 _random = new(seed);

    public int PickThread(IReadOnlyList<int> candidates) => _random.Below(candidates.Count);

    public long Quantum() => 1 + (long)(_random.Next() % (ulong)maxQuantum);

    public bool PreemptInKernel(int tid) => _random.Below(100) < kernelPreemptPercent;
}
