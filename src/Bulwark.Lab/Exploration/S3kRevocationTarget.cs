using Bulwark.Lab.Revocation;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Lab.Exploration;

/// <summary>A revocation scenario on the board with the C# s3k kernel: failed when the run broke isolation
/// (<see cref="RevocationRun.Violated"/>: bytes leaked or corrupted, a request completed twice, a log that
/// disagrees with the ownership timeline). Under policy none and the seed's monitor that is the attack
/// working; under every other policy it is the policy failing.</summary>
public sealed class S3kRevocationTarget(RevocationRunner runner, RevocationScenario scenario) : IExplorationTarget<RevocationRun>
{
    public RevocationRun Run(ISchedulingStrategy strategy, ulong seed) => runner.Run(scenario, seed, strategy);

    public ExplorationVerdict Judge(RevocationRun run) => run.Violated ? ExplorationVerdict.Failed : ExplorationVerdict.Clean;
}
