using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Midas;
using Bulwark.Lab.Evaluation;

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

/// <summary>Runs each benchmark with and without Midas on two harts (the same seed), interleaved.</summary>
public static class ProtectionBenchmark
{
    public static IReadOnlyList<string> Configurations => ["none", "midas"];

    public static BenchmarkComparison Compare(BenchmarkCase benchmark, int runs)
    {
        var last = new (long Syscalls, long Versions, long Extra, int Status)[2];
        var costs = Interleaved.Measure(Configurations, runs, c =>
        {
            var kernel = new KernelCore(new KernelOptions { Harts = 2, Protection = c == 0 ? UserMemoryProtection.None : UserMemoryProtection.Midas, Mounts = [] });
            var result = kernel.Run(benchmark.Elf, [benchmark.Elf, .. benchmark.Arguments]);
            var midas = kernel.UserAccess as MidasProtection;
            last[c] = (kernel.Stats.Syscalls, midas?.Stats.VersionsCreated ?? 0, midas?.Stats.PeakExtraBytes ?? 0, result.ExitStatus);
            return kernel.Stats.Instructions;
        });
        BenchmarkMeasurement Of(int c) => new(costs[c], last[c].Syscalls, last[c].Versions, last[c].Extra, last[c].Status);
        return new BenchmarkComparison(benchmark, Of(0), Of(1));
    }
}
