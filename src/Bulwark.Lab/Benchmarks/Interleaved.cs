using System.Diagnostics;
using System.Globalization;
using Bulwark.Lab.Evaluation;

namespace Bulwark.Lab.Benchmarks;

/// <summary>One timed run: wall time, the process's CPU time over the run (user + system of every thread,
/// so time the host took from us shows as wall without CPU; on Linux with that of the child processes it
/// waited for, such as qemu-riscv64, at the kernel's 10 ms resolution) and the guest instructions it ran.</summary>
public sealed record RunSample(double WallSeconds, double CpuSeconds, long Instructions);

/// <summary>The timed runs of one configuration; sample i ran in round i of every configuration.</summary>
public sealed record ConfigurationCost(string Configuration, IReadOnlyList<RunSample> Samples)
{
    public Estimate Wall => Statistics.MedianWithCi(Samples.Select(s => s.WallSeconds).ToList());
    public Estimate Cpu => Statistics.MedianWithCi(Samples.Select(s => s.CpuSeconds).ToList());
    public long Instructions => (long)Statistics.Median(Samples.Select(s => (double)s.Instructions).ToList());

    /// <summary>This configuration's cost relative to <paramref name="baseline"/>: the median and CI of the
    /// per-round ratios, so a slow phase of the shared machine hits both sides of a ratio alike.</summary>
    public Estimate Ratio(ConfigurationCost baseline, Func<RunSample, double> measure) =>
        Statistics.MedianWithCi(Samples.Zip(baseline.Samples, (s, b) => measure(s) / measure(b)).ToList());

    /// <summary>Overhead against <paramref name="baseline"/> in percent (see <see cref="Ratio"/>).</summary>
    public Estimate OverheadPercent(ConfigurationCost baseline, Func<RunSample, double> measure) =>
        Ratio(baseline, measure).Map(r => (r - 1) * 100);
}

/// <summary>Measures several configurations of one workload with their runs interleaved (A B A B ...):
/// warm-up rounds first, discarded (.NET compiles each configuration's paths), then
/// <paramref name="runs"/> timed rounds, so drift in the machine's load spreads over every configuration
/// instead of landing on whichever ran last.</summary>
public static class Interleaved
{
    /// <param name="run">Runs configuration i once and returns its guest instructions.</param>
    /// <param name="warmUpRounds">Rounds run and discarded first. One compiles what each configuration
    /// runs; .NET then goes on recompiling Bulwark's code at its optimising tier on a thread of its own for a
    /// few rounds more, taking CPU time from every configuration, qemu-riscv64's too (see the README's
    /// performance section).</param>
    public static IReadOnlyList<ConfigurationCost> Measure(IReadOnlyList<string> configurations, int runs, Func<int, long> run, int warmUpRounds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmUpRounds, 1);
        var samples = configurations.Select(_ => new List<RunSample>()).ToList();
        for (int round = -warmUpRounds; round < runs; round++)
            for (int c = 0; c < configurations.Count; c++)
            {
                var sample = Time(() => run(c));
                if (round >= 0) samples[c].Add(sample);
            }
        return configurations.Select((name, c) => new ConfigurationCost(name, samples[c])).ToList();
    }

    private static RunSample Time(Func<long> run)
    {
        var cpuBefore = ProcessCpu();
        var watch = Stopwatch.StartNew();
        long instructions = run();
        double wall = watch.Elapsed.TotalSeconds;
        return new RunSample(wall, (ProcessCpu() - cpuBefore).TotalSeconds, instructions);
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime + ChildrenCpu();
    }

    /// <summary>User + system time of the children waited for (cutime and cstime, fields 16 and 17 of
    /// /proc/self/stat, in USER_HZ = 100 ticks a second); zero where that file does not exist.</summary>
    private static TimeSpan ChildrenCpu()
    {
        string stat;
        try { stat = File.ReadAllText("/proc/self/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return TimeSpan.Zero; }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0);
    }
}
