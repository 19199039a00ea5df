using System.Text;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.SystemBoard;

/// <summary>An s3k course project built from the shared snapshot (its kernel.elf and apps, and the FAT
/// disk image some of them read), run on the system board the way ../shared/oracles/s3k/run-qemu.sh runs
/// it on qemu-system-riscv64: 1 hart with -icount 3 for the qemu_virt platform, 4 harts for qemu_virt4.</summary>
public sealed record S3kProject(string Name)
{
    public string Directory => Path.Combine(Corpus.S3kDirectory, "projects", Name);
    public string BuildDirectory => global::System.IO.Directory.GetDirectories(Path.Combine(Directory, "build")).Single();
    public bool FourHarts => Path.GetFileName(BuildDirectory) == "qemu_virt4";

    public IReadOnlyList<string> Elfs =>
        new[] { "kernel", "app0", "app1" }.Select(e => Path.Combine(BuildDirectory, e + ".elf")).Where(File.Exists).ToList();

    public string? DiskPath => File.Exists(Path.Combine(Directory, "fs.img")) ? Path.Combine(Directory, "fs.img") : null;

    /// <summary>The first lines the real kernel printed on qemu (see <see cref="S3kOracle"/>).</summary>
    public string[] QemuLines => S3kOracle.Console(Name).Split('\n');

    public sealed record Run(string Console, BoardResult Result, QemuVirtBoard Board)
    {
        public string[] Lines => Console.Replace("\r", "").Split('\n');
    }

    public Run RunOnBoard(double seconds, ulong seed = 0, ISchedulingStrategy? strategy = null, int virtioVersion = 1, EngineKind engine = EngineKind.Interpreter)
    {
        var console = new MemoryStream();
        var board = new QemuVirtBoard(new QemuVirtOptions
        {
            Harts = FourHarts ? 4 : 1,
            Seed = seed,
            ConsoleOutput = console,
            Disk = DiskPath is { } disk ? DiskImage.FromFile(disk) : null,
            VirtioVersion = virtioVersion,
            Engine = engine,
            JitThreshold = Guests.GuestCase.TestJitThreshold,
            JitCompile = JitCompilation.Inline,
        });
        board.Load(Elfs);
        var result = board.Run(new ArchitecturalTraps(), strategy ?? new RandomStrategy(seed),
            new BoardTiming { IcountShift = FourHarts ? 0 : 3, MaxTimeNs = (ulong)(seconds * 1e9) });
        return new Run(Encoding.UTF8.GetString(console.ToArray()), result, board);
    }

    public override string ToString() => Name;
}
