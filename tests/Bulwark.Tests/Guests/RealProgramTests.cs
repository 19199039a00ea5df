using Bulwark.Kernel;
using Bulwark.Machine.Cpu;

namespace Bulwark.Tests.Guests;

/// <summary>
/// Real-world programs built from Debian source packages (tests/guests/real: bzip2, lua, zstd, lz4, sqlite3, busybox) must
/// print exactly the bytes qemu-riscv64 printed and exit with the same status. Each line of real/cases.txt is
/// "CASE_NAME PROGRAM ARGS..." where @REAL@ stands for the absolute path of tests/guests/real, which is mounted
/// read-only in the guest at that same path.
/// </summary>
public sealed class RealProgramTests
{
    private static readonly string RealDirectory = GuestCase.RepositoryPath("tests", "guests", "real");

    public static TheoryData<string, EngineKind> Cases() => Engines.Cross(ReadCases().Select(c => c.Name));

    /// <summary>The bzip2 cases, multi-threaded zstd, SQLite and busybox again under Midas, on another seed: real programs
    /// must not notice it.</summary>
    public static TheoryData<string, EngineKind> MidasCases() =>
        Engines.Cross(ReadCases().Select(c => c.Name).Where(n => n.StartsWith("bzip2_") || n.StartsWith("sqlite_") || n.StartsWith("busybox_") || n == "zstd_compress_mt"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void RealProgramMatchesQemu(string name, EngineKind engine) => Check(name, seed: 0, UserMemoryProtection.None, engine);

    [Theory]
    [MemberData(nameof(MidasCases))]
    public void RealProgramMatchesQemuUnderMidas(string name, EngineKind engine) => Check(name, seed: 3, UserMemoryProtection.Midas, engine);

    public static TheoryData<string> Names() => [.. ReadCases().Select(c => c.Name)];

    /// <summary>The block engine compiling on its worker thread (the CLI's default), at the tests' low
    /// threshold: regions are installed whenever the worker finishes them, while the guest runs on.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void RealProgramMatchesQemuCompilingInBackground(string name) =>
        Check(name, seed: 0, UserMemoryProtection.None, EngineKind.Jit, JitCompilation.Background);

    private static void Check(string name, ulong seed, UserMemoryProtection protection, EngineKind engine, JitCompilation jitCompile = JitCompilation.Inline)
    {
        var (_, program, args) = ReadCases().Single(c => c.Name == name);
        string elf = Path.Combine(RealDirectory, program + ".elf");
        byte[] expectedStdout = File.ReadAllBytes(Path.Combine(RealDirectory, "expected", name + ".stdout"));
        int expectedStatus = int.Parse(File.ReadAllText(Path.Combine(RealDirectory, "expected", name + ".status")).Trim());

        var run = GuestCase.RunElf(elf, [elf, .. args], [], [(RealDirectory, RealDirectory)], seed, protection: protection, engine: engine, jitCompile: jitCompile);

        Assert.True(expectedStatus == run.Status,
            $"status {run.Status}, qemu gave {expectedStatus}; message: {run.Message}; stderr: {Tail(run.Stderr)}");
        Assert.True(expectedStdout.AsSpan().SequenceEqual(run.Stdout), DescribeDifference(expectedStdout, run.Stdout));
        // What --strict would stop at: no real program may need a call the kernel does not have.
        Assert.Empty(run.Stats.UnknownSyscalls);
    }

    private static IEnumerable<(string Name, string Program, string[] Args)> ReadCases()
    {
        foreach (string raw in File.ReadLines(Path.Combine(RealDirectory, "cases.txt")))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] words = line.Replace("@REAL@", RealDirectory).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            yield return (words[0], words[1], words[2..]);
        }
    }

    private static string DescribeDifference(byte[] expected, byte[] actual)
    {
        int n = Math.Min(expected.Length, actual.Length);
        int at = 0;
        while (at < n && expected[at] == actual[at]) at++;
        string Window(byte[] b) => Convert.ToHexString(b, at, Math.Min(16, Math.Max(0, b.Length - at)));
        return $"stdout differs: qemu wrote {expected.Length} bytes, Bulwark {actual.Length}; first difference at offset {at} " +
               $"(qemu {Window(expected)}, Bulwark {Window(actual)})";
    }

    private static string Tail(string s) => s.Length <= 2000 ? s : "..." + s[^2000..];
}
