using System.Text;
using Bulwark.Kernel;
using Bulwark.Kernel.Scheduling;

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
    public GuestRun Run(ulong seed = 0, int harts = 4, ISchedulingStrategy? strategy = null, long maxInstructions = 2_000_000_000)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var kernel = new KernelCore(new KernelOptions
        {
            Harts = harts,
            Seed = seed,
            MaxInstructions = maxInstructions,
            Mounts = [(DataDirectory, DataDirectory)],
            Stdin = new MemoryStream(Stdin),
            Stdout = stdout,
            Stderr = stderr,
            Strategy = strategy,
        });
        var result = kernel.Run(Elf, [Elf, .. Arguments]);
        return new GuestRun(result.ExitStatus, stdout.ToArray(), Encoding.UTF8.GetString(stderr.ToArray()), result.Message, kernel.Stats, kernel.NowNs);
    }

    private static string FindGuests()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "guests");
            if (File.Exists(Path.Combine(candidate, "hello.elf"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/guests not found above " + AppContext.BaseDirectory);
    }

    public override string ToString() => Name;
}

public sealed record GuestRun(int Status, byte[] Stdout, string Stderr, string? Message, KernelStats Stats, ulong VirtualNs)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
}
