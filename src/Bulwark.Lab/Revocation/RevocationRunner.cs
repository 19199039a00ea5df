using System.Text;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.S3k;
using Bulwark.S3k.Platforms;

namespace Bulwark.Lab.Revocation;

/// <summary>Runs the revocation programs (revoke.app0/1/2.elf, built by tests/corpora/build.sh into
/// .corpus/s3k-programs) on the C# kernel: four harts (qemu_virt4), the programs' counts (4 processes, 16
/// capabilities, 4 channels), slots of 50 µs so that a suspended driver leaves its hart soon, one
/// nanosecond an instruction, and the scenario's disk. The seed drives the hart scheduler (which hart runs
/// and for how long: where the revoke lands in the driver's request) and the disk's latencies.</summary>
public sealed class RevocationRunner(string programsDirectory)
{
    public const ulong SlotTicks = 500;

    public IReadOnlyList<string> Apps => Enumerable.Range(0, 3).Select(i => Path.Combine(programsDirectory, $"revoke.app{i}.elf")).ToList();

    public bool Available => Apps.All(File.Exists);

    public static S3kConfig Config(RevocationScenario scenario) => new()
    {
        Platform = S3kPlatform.QemuVirt4,
        ProcCount = 4,
        CapCount = 16,
        ChanCount = 4,
        SlotTicks = SlotTicks,
        RevokePolicy = scenario.SeedMonitor ? Bulwark.S3k.Dma.RevokePolicy.None : scenario.Policy,
        TrackDma = true,
    };

    public RevocationRun Run(RevocationScenario scenario, ulong seed, ISchedulingStrategy? strategy = null)
    {
        var console = new MemoryStream();
        var system = new S3kSystem(Config(scenario), new QemuVirtOptions
        {
            Seed = seed,
            ConsoleOutput = console,
            Disk = scenario.Disk(),
            DiskLatency = scenario.Latency,
        });
        system.Load(Apps);
        system.Run(strategy ?? new RandomStrategy(seed), new BoardTiming { MaxTimeNs = scenario.MaxTimeNs });
        var dma = system.Kernel.Dma!;
        return new RevocationRun(scenario, seed, Encoding.ASCII.GetString(console.ToArray()), system.Kernel.DmaReport()!,
            dma.Log.CheckAgainstTimeline(), system.Kernel.Faults);
    }
}
