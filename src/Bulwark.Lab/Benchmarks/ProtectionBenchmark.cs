using System.Diagnostics;
using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Midas;

namespace Bulwark.Lab.Benchmarks;

/// <summary>One line of a benchmark suite file: `LABEL ELF ARGS...`, the ELF relative to the file.</summary>
public sealed record BenchmarkCase(string Label, string Elf, IReadOnlyList<string> Arguments)
{
    public static IReadOnlyList<BenchmarkCase> ReadSuite(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var cases = new List<BenchmarkCase>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2) throw new FormatException($"{path}:{lineNumber}: expected 'LABEL ELF ARGS...'");
            string elf = Path.Combine(directory, fields[1]);
            if (!File.Exists(elf)) throw new FormatException($"{path}:{lineNumber}: {fields[1]}: no such file");
            cases.Add(new BenchmarkCase(fields[0], elf, fields[2..]));
        }
        return cases;
    }
}

/// <summary>What one configuration of one benchmark cost: guest instructions, the median host time,
/// and for Midas its versions and extra memory.</summary>
public sealed record BenchmarkMeasurement(long Instructions, double MedianSeconds, long Syscalls, long VersionsCreated, long PeakExtraBytes, int ExitStatus);

public sealed record BenchmarkComparison(BenchmarkCase Case, BenchmarkMeasurement Baseline, BenchmarkMeasurement Midas)
{
    public double TimeOverheadPercent => (Midas.MedianSeconds / Baseline.MedianSeconds - 1) * 100;
    public double InstructionOverheadPercent => ((double)Midas.Instructions / Baseline.Instructions - 1) * 100;
}

/// <summary>Runs each benchmark with and without Midas on one hart (the same seed), several times,
/// and reports the medians.</summary>
public static class ProtectionBenchmark
{
    public static BenchmarkComparison Compare(BenchmarkCase benchmark, int runs) =>
        new(benchmark, Measure(benchmark, UserMemoryProtection.None, runs), Measure(benchmark, UserMemoryProtection.Midas, runs));

    /// <summary>One untimed warm-up run (the host JIT compiles the hot paths), then <paramref name="runs"/> timed ones.</summary>
    public static BenchmarkMeasurement Measure(BenchmarkCase benchmark, UserMemoryProtection protection, int runs)
    {
        var times = new List<double>();
        BenchmarkMeasurement? last = null;
        for (int i = -1; i < runs; i++)
        {
            var kernel = new KernelCore(new KernelOptions { Harts = 2, Protection = protection, Mounts = [] });
            var watch = Stopwatch.StartNew();
            var result = kernel.Run(benchmark.Elf, [benchmark.Elf, .. benchmark.Arguments]);
            if (i >= 0) times.Add(watch.Elapsed.TotalSeconds);
            var midas = kernel.UserAccess as MidasProtection;
            last = new BenchmarkMeasurement(kernel.Stats.Instructions, 0, kernel.Stats.Syscalls,
                midas?.Stats.VersionsCreated ?? 0, midas?.Stats.PeakExtraBytes ?? 0, result.ExitStatus);
        }
        return last! with { MedianSeconds = times.Order().ElementAt(times.Count / 2) };
    }
}
