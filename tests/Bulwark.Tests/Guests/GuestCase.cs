using System.Text;
using Bulwark.Kernel;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Tests.Guests;

/// <summary>A program of tests/guests with the stdout and status qemu-riscv64 gave it.</summary>
public sealed record GuestCase(string Name)
{
    public static string Directory { get; } = FindGuests();

    public string Elf => Path.Combine(Directory, Name + ".elf");
    public string DataDirectory => Path.Combine(Directory, "data");
    public byte[] ExpectedStdout => File.ReadAllBytes(Path.Combine(Directory, Name + ".stdout"));
    public int ExpectedStatus => int.Parse(File.ReadAllText(Path.Combine(Directory, Name + ".status")).Trim());

    public string[] Arguments
    {
        get
        {
            string path = Path.Combine(Directory, Name + ".args");
            if (!File.Exists(path)) return [];
            return File.ReadAllText(path).Replace("@DATA@", DataDirectory).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
    }

    public byte[] Stdin
    {
        get
        {
            string path = Path.Combine(Directory, Name + ".stdin");
            return File.Exists(path) ? File.ReadAllBytes(path) : [];
        }
    }

    /// <summary>Cases with an oracle (qemu's recorded stdout and status).</summary>
    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.elf").Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(n => File.Exists(Path.Combine(Directory, n + ".stdout"))).Order(StringComparer.Ordinal);

    /// <summary>Runs the case in-process, mounting its data directory where qemu saw it.</summary>
    public GuestRun Run(ulong seed = 0, int harts = 4, ISchedulingStrategy? strategy = null, long maxInstructions = 2_000_000_000,
        UserMemoryProtection protection = UserMemoryProtection.None, bool detectDoubleFetch = false, bool traceSyscalls = false, ulong memoryBytes = 1UL << 30,
        EngineKind engine = EngineKind.Interpreter, JitCompilation jitCompile = JitCompilation.Inline) =>
        RunElf(Elf, [Elf, .. Arguments], Stdin, Mounts, seed, harts, strategy, maxInstructions, protection, detectDoubleFetch, traceSyscalls, memoryBytes, engine, jitCompile);

    /// <summary>The block engine's threshold in tests: low, so that short programs run mostly compiled
    /// code, but above 1, so that code run once (start-up) is not compiled at great cost. Tests compile
    /// inline unless they say otherwise, so that the same code runs compiled on every run.</summary>
    public const int TestJitThreshold = 8;

    /// <summary>Cases that run other programs (NAME.exec) find the guests directory where qemu saw it; the others only data/.</summary>
    public IReadOnlyList<(string, string)> Mounts =>
        File.Exists(Path.Combine(Directory, Name + ".exec")) ? [(DataDirectory, DataDirectory), (Directory, Directory)] : [(DataDirectory, DataDirectory)];

    public static GuestRun RunElf(string elf, string[] argv, byte[] stdin, IReadOnlyList<(string, string)> mounts, ulong seed = 0, int harts = 4,
        ISchedulingStrategy? strategy = null, long maxInstructions = 2_000_000_000,
        UserMemoryProtection protection = UserMemoryProtection.None, bool detectDoubleFetch = false, bool traceSyscalls = false, ulong memoryBytes = 1UL << 30,
        EngineKind engine = EngineKind.Interpreter, JitCompilation jitCompile = JitCompilation.Inline)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var kernel = new KernelCore(new KernelOptions
        {
            Harts = harts,
            Seed = seed,
            MaxInstructions = maxInstructions,
            MemoryBytes = memoryBytes,
            Mounts = mounts,
            Stdin = new MemoryStream(stdin),
            Stdout = stdout,
            Stderr = stderr,
            Strategy = strategy,
            Protection = protection,
            DetectDoubleFetch = detectDoubleFetch,
            TraceSyscalls = traceSyscalls,
            Engine = engine,
            JitThreshold = TestJitThreshold,
            JitCompile = jitCompile,
        });
        var result = kernel.Run(elf, argv);
        return new GuestRun(result.ExitStatus, stdout.ToArray(), Encoding.UTF8.GetString(stderr.ToArray()), result.Message, kernel.Stats, kernel.NowNs, kernel.UserAccess,
            kernel.Machine.Memory.FramesInUse);
    }

    private static string FindGuests() => RepositoryPath("tests", "guests");

    /// <summary>A directory of the repository, found by walking up from the test binaries.</summary>
    public static string RepositoryPath(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")) && System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(string.Join('/', parts) + " not found above " + AppContext.BaseDirectory);
    }

    public override string ToString() => Name;
}

public sealed record GuestRun(int Status, byte[] Stdout, string Stderr, string? Message, KernelStats Stats, ulong VirtualNs,
    Bulwark.Kernel.UserAccess.IUserAccessPolicy Policy, long FramesInUseAtExit)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
}
