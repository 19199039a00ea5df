using System.Text;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.S3k;
using Bulwark.S3k.Platforms;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.S3k;

/// <summary>Runs a course project's apps (or any s3k apps) on the board with the C# kernel and returns the console.</summary>
public static class S3kRun
{
    public static string ProjectBuild(string project)
    {
        string dir = Path.Combine(Corpus.S3kDirectory, "projects", project, "build");
        return Directory.GetDirectories(dir).Single();
    }

    /// <summary>The course's s3k_conf.h of a project: the slot length and verbosity differ between them.</summary>
    public static S3kConfig ConfigFor(string project)
    {
        string build = ProjectBuild(project);
        var platform = Path.GetFileName(build) == "qemu_virt" ? S3kPlatform.QemuVirt : S3kPlatform.QemuVirt4;
        string conf = File.ReadAllText(Path.Combine(Corpus.S3kDirectory, "projects", project, "s3k_conf.h"));
        ulong divisor = conf.Contains("S3K_SLOT_CNT / 100ull") ? 100UL : 1UL;
        int verbosity = conf.Split('\n').Where(l => l.StartsWith("#define VERBOSITY")).Select(l => int.Parse(l.Split(' ')[2])).FirstOrDefault();
        bool ndebug = conf.Split('\n').Any(l => l.Trim() == "#define NDEBUG");
        return new S3kConfig
        {
            Platform = platform,
            SlotTicks = S3kConfig.RtcHz / 32 / divisor,
            Verbosity = ndebug ? 0 : verbosity,
            Debug = !ndebug,
        };
    }

    /// <summary>A project's apps (app2 of the exercise is on its disk, not loaded), with its FAT disk if it has one.</summary>
    public static (string Console, BoardResult Result, S3kSystem System) Project(string project, double seconds, S3kConfig? config = null, ulong seed = 0)
    {
        string build = ProjectBuild(project);
        var elfs = new[] { "app0.elf", "app1.elf" }.Select(e => Path.Combine(build, e)).Where(File.Exists).ToArray();
        string disk = Path.Combine(Corpus.S3kDirectory, "projects", project, "fs.img");
        return Run(config ?? ConfigFor(project), elfs, seconds, seed, disk: File.Exists(disk) ? DiskImage.FromFile(disk) : null);
    }

    public static (string Console, BoardResult Result, S3kSystem System) Run(S3kConfig config, IReadOnlyList<string> elfs, double seconds, ulong seed = 0,
        int icountShift = 0, DiskImage? disk = null)
    {
        var console = new MemoryStream();
        var system = new S3kSystem(config, new QemuVirtOptions { Seed = seed, ConsoleOutput = console, Disk = disk });
        system.Load(elfs);
        var result = system.Run(new RandomStrategy(seed), new BoardTiming { IcountShift = icountShift, MaxTimeNs = (ulong)(seconds * 1e9) });
        return (Encoding.ASCII.GetString(console.ToArray()), result, system);
    }
}
