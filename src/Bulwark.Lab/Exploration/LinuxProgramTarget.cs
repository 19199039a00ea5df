using Bulwark.Kernel;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Lab.Exploration;

/// <summary>A static Linux program on the Linux kernel: failed when it ends in a kernel violation or a
/// non-zero exit; inconclusive when it hits the per-run instruction limit.</summary>
public sealed class LinuxProgramTarget(ExplorationSettings settings) : IExplorationTarget<RunResult>
{
    private const int InstructionLimitStatus = 124;

    public RunResult Run(ISchedulingStrategy strategy, ulong seed)
    {
        var machine = settings.Machine ?? new KernelOptions();
        var kernel = new KernelCore(machine with
        {
            Harts = settings.Harts,
            Seed = seed,
            Protection = settings.Protection,
            MaxInstructions = settings.MaxInstructionsPerRun,
            Mounts = settings.Mounts ?? machine.Mounts,
            Strategy = strategy,
        });
        return kernel.Run(settings.Program, [settings.Program, .. settings.Arguments]);
    }

    public ExplorationVerdict Judge(RunResult result) =>
        result.ExitStatus == InstructionLimitStatus ? ExplorationVerdict.Inconclusive
        : result.ExitStatus != 0 ? ExplorationVerdict.Failed
        : ExplorationVerdict.Clean;
}
