using System.Text.RegularExpressions;
using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Midas;
using Bulwark.Lab.Evaluation;
using Bulwark.Machine.Cpu;

namespace Bulwark.Lab.Benchmarks;

/// <summary>One line of a benchmark suite file: `LABEL ELF ARGS...`, the ELF relative to the file, and the
/// host directories the guest sees (read-only, each at its own absolute path, so that a process on the host
/// given the same argv reads the same files).</summary>
public sealed partial record BenchmarkCase(string Label, string Elf, IReadOnlyList<string> Arguments, IReadOnlyList<(string Host, string Guest)> Mounts)
{
    /// <summary>Reads a suite file. Besides `LABEL ELF ARGS...` lines it may define directory tokens,
    /// `@NAME@ = DIR` (DIR relative to the file): an `@NAME@` in a later line's ELF or arguments stands for
    /// DIR's absolute path, and that line's guest has DIR mounted read-only at the same path.</summary>
    public static IReadOnlyList<BenchmarkCase> ReadSuite(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var cases = new List<BenchmarkCase>();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0].StartsWith('@'))
            {
                if (fields.Length != 3 || fields[1] != "=" || Token().Match(fields[0]).Value != fields[0])
                    throw new FormatException($"{path}:{lineNumber}: expected '@NAME@ = DIR'");
                string dir = Path.GetFullPath(Path.Combine(directory, fields[2])).TrimEnd('/');
                if (!Directory.Exists(dir)) throw new FormatException($"{path}:{lineNumber}: {fields[2]}: no such directory");
                tokens[fields[0]] = dir;
                continue;
            }
            if (fields.Length < 2) throw new FormatException($"{path}:{lineNumber}: expected 'LABEL ELF ARGS...'");
            var used = tokens.Where(t => fields[1..].Any(f => f.Contains(t.Key, StringComparison.Ordinal))).ToList();
            string Expand(string field) => used.Aggregate(field, (f, t) => f.Replace(t.Key, t.Value, StringComparison.Ordinal));
            if (fields[1..].Select(Expand).Select(f => Token().Match(f)).FirstOrDefault(m => m.Success) is { } unknown)
                throw new FormatException($"{path}:{lineNumber}: {unknown.Value} is not defined (add '{unknown.Value} = DIR' above)");
            string elf = Path.Combine(directory, Expand(fields[1]));
            if (!File.Exists(elf)) throw new FormatException($"{path}:{lineNumber}: {fields[1]}: no such file");
            cases.Add(new BenchmarkCase(fields[0], elf, [.. fields[2..].Select(Expand)], [.. used.Select(t => (t.Value, t.Value))]));
        }
        return cases;
    }

    [GeneratedRegex("@[A-Za-z0-9_]+@")]
    private static partial Regex Token();
}

/// <summary>What one configuration of one benchmark cost: its timed runs, and from its last run the
/// system calls, exit status and, for Midas, its versions and extra memory (the same in every run: the
/// seed fixes the schedule).</summary>
public sealed record BenchmarkMeasurement(ConfigurationCost Cost, long Syscalls, long VersionsCreated, long PeakExtraBytes, int ExitStatus)
{
    public long Instructions => Cost.Instructions;
}

public sealed record BenchmarkComparison(BenchmarkCase Case, BenchmarkMeasurement Baseline, BenchmarkMeasurement Midas)
{
    public Estimate WallOverheadPercent => Midas.Cost.OverheadPercent(Baseline.Cost, s => s.WallSeconds);
    public Estimate CpuOverheadPercent => Midas.Cost.OverheadPercent(Baseline.Cost, s => s.CpuSeconds);
    public double InstructionOverheadPercent => ((double)Midas.Instructions / Baseline.Instructions - 1) * 100;
}

/// <summary>Runs each benchmark with and without Midas on two harts (the same seed, the same engine), interleaved.</summary>
public static class ProtectionBenchmark
{
    public static IReadOnlyList<string> Configurations => ["none", "midas"];

    public static BenchmarkComparison Compare(BenchmarkCase benchmark, int runs, EngineKind engine = EngineKind.Interpreter, int warmUpRounds = 1)
    {
        var last = new (long Syscalls, long Versions, long Extra, int Status)[2];
        var costs = Interleaved.Measure(Configurations, runs, c =>
        {
            var kernel = new KernelCore(new KernelOptions { Harts = 2, Protection = c == 0 ? UserMemoryProtection.None : UserMemoryProtection.Midas, Mounts = benchmark.Mounts, Engine = engine });
            var result = kernel.Run(benchmark.Elf, [benchmark.Elf, .. benchmark.Arguments]);
            var midas = kernel.UserAccess as MidasProtection;
            last[c] = (kernel.Stats.Syscalls, midas?.Stats.VersionsCreated ?? 0, midas?.Stats.PeakExtraBytes ?? 0, result.ExitStatus);
            return kernel.Stats.Instructions;
        }, warmUpRounds);
        BenchmarkMeasurement Of(int c) => new(costs[c], last[c].Syscalls, last[c].Versions, last[c].Extra, last[c].Status);
        return new BenchmarkComparison(benchmark, Of(0), Of(1));
    }
}
