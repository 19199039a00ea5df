using Bulwark.Kernel;
using Bulwark.Kernel.Elf;
using Bulwark.Machine.Elf;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Lab.Exploration;

/// <summary>A static Linux program on the Linux kernel: failed when it ends in a kernel violation or a
/// non-zero exit; inconclusive when it hits the per-run instruction limit.</summary>
public sealed class LinuxProgramTarget(ExplorationSettings settings) : IExplorationTarget<RunResult>
{
    private const int InstructionLimitStatus = 124;

    /// <summary>The program, read and checked once for every schedule (an <see cref="ElfException"/> here
    /// is the caller's bad input): reading a static binary of about 600 KB again for each run was a large
    /// part of the explorer's time on short programs (400 schedules of midas_write_race.elf: about 3.3 s
    /// with the re-reading, 2.1 s without, `farm-bench` against the same base).</summary>
    private readonly ElfImage _program = LinuxExecutable.Load(settings.Program);

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
        return kernel.Run(_program, [settings.Program, .. settings.Arguments]);
    }

    public ExplorationVerdict Judge(RunResult result) =>
        result.ExitStatus == InstructionLimitStatus ? ExplorationVerdict.Inconclusive
        : result.ExitStatus != 0 ? ExplorationVerdict.Failed
        : ExplorationVerdict.Clean;
}
