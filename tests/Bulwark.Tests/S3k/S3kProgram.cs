using System.Text;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.S3k;
using Bulwark.S3k.Platforms;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.S3k;

/// <summary>One of Bulwark's own s3k test programs (tests/s3k-programs, built by tests/corpora/build.sh):
/// its apps run with the real kernel on the system board (what `bulwark system kernel.elf APP0.elf ...`
/// runs) and with the C# kernel (what `bulwark s3k APP0.elf ...` runs), on qemu_virt (one hart) with
/// -icount 3, as the course's one-hart projects run on qemu.</summary>
public sealed record S3kProgram(string Name)
{
    public const int IcountShift = 3;

    /// <summary>The programs' s3k_conf.h (tests/s3k-programs/s3k_conf.h), as `bulwark s3k --procs 4 --caps 16 --channels 4`.</summary>
    public static readonly S3kConfig Config = new() { Platform = S3kPlatform.QemuVirt, ProcCount = 4, CapCount = 16, ChanCount = 4 };

    public static string KernelElf => Path.Combine(Corpus.S3kProgramsDirectory, "kernel.elf");

    public IReadOnlyList<string> Apps =>
        Enumerable.Range(0, 3).Select(i => Path.Combine(Corpus.S3kProgramsDirectory, $"{Name}.app{i}.elf")).Where(File.Exists).ToList();

    /// <summary>The real kernel on the system board: its console.</summary>
    public (string Console, BoardResult Result) RunRealKernel(double seconds, ulong seed = 0)
    {
        if (Apps.Count == 0) throw new FileNotFoundException($"no apps of the s3k test program {Name} in {Corpus.S3kProgramsDirectory}");
        var console = new MemoryStream();
        var board = new QemuVirtBoard(new QemuVirtOptions { Harts = 1, Seed = seed, ConsoleOutput = console });
        board.Load([KernelElf, .. Apps]);
        var result = board.Run(new ArchitecturalTraps(), new RandomStrategy(seed),
            new BoardTiming { IcountShift = IcountShift, MaxTimeNs = (ulong)(seconds * 1e9) });
        return (Encoding.UTF8.GetString(console.ToArray()), result);
    }

    /// <summary>The C# kernel with the same apps, configuration, seed and timing.</summary>
    public (string Console, BoardResult Result, S3kSystem System) RunCSharpKernel(double seconds, ulong seed = 0, S3kConfig? config = null) =>
        S3kRun.Run(config ?? Config, Apps, seconds, seed, IcountShift);

    /// <summary>Byte for byte, but reported as the first line that differs.</summary>
    public static void AssertSameLines(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Min(e.Length, a.Length); i++)
            Assert.True(e[i] == a[i], $"line {i + 1} differs:\n real kernel: {e[i]}\n C# kernel:   {a[i]}");
        Assert.True(e.Length == a.Length, $"the real kernel printed {e.Length} lines, the C# kernel {a.Length}");
        Assert.Equal(expected, actual);
    }

    public override string ToString() => Name;
}
