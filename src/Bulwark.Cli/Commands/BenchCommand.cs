using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Kernel;
using Bulwark.Lab.Benchmarks;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark bench`: the interpreter's speed (MIPS, and the time ratio to qemu-riscv64 where
/// it is installed) on a compute-heavy guest, then the cost of Midas on the guest benchmark suite.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        // Defaults are found at execution, so the help shows where they come from rather than one machine's path.
        var program = new Argument<string?>("program") { Description = "Compute-heavy guest ELF to time [default: the bundled tests/guests/compute.elf]", Arity = ArgumentArity.ZeroOrOne };
        var runs = new Option<int>("--runs") { Description = "Timed runs of each measurement (the median is reported)", DefaultValueFactory = _ => 3 };
        var suite = new Option<string?>("--suite") { HelpName = "FILE", Description = "Benchmark suite file (LABEL ELF ARGS... per line); 'none' to skip [default: the bundled bench/guests/suite.txt]" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout instead of the tables" };
        var command = new Command("bench", "Measure interpreter speed (MIPS, ratio to qemu-riscv64) and the overhead of Midas per benchmark") { program, runs, suite, json };
        OptionRules.Require(runs, n => n is >= 1 and <= 100, "is not between 1 and 100");
        command.SetAction(p => Execute(
            p.GetValue(program) ?? Repository.Find("tests", "guests", "compute.elf") ?? "tests/guests/compute.elf",
            p.GetValue(runs),
            p.GetValue(suite) ?? Repository.Find("bench", "guests", "suite.txt") ?? "bench/guests/suite.txt",
            p.GetValue(json)));
        return command;
    }

    private static int Execute(string program, int runs, string suite, bool json)
    {
        if (!File.Exists(program))
        {
            Console.Error.WriteLine($"bulwark: error: {program}: no such file");
            return RunCommand.InputError;
        }
        IReadOnlyList<BenchmarkCase> cases = [];
        try { if (suite != "none") cases = BenchmarkCase.ReadSuite(suite); }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
        SpeedResult speed;
        try { speed = Speed(program, runs); }
        catch (Machine.Elf.ElfException e)
        {
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
        if (!json) PrintSpeed(speed);
        var rows = new List<BenchmarkComparison>();
        foreach (var benchmark in cases) rows.Add(ProtectionBenchmark.Compare(benchmark, runs));
        var report = new BenchReport(speed, suite == "none" ? null : Path.GetFileName(suite), runs, [.. rows.Select(SuiteRow.Of)]);
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(report, BenchJson.Default.BenchReport));
        else if (cases.Count > 0) PrintSuite(report);
        int failures = report.Suite.Count(r => r.ExitStatusOff != 0 || r.ExitStatusMidas != 0) + (speed.ExitStatus != 0 ? 1 : 0);
        if (failures > 0) Console.Error.WriteLine($"bulwark: {failures} benchmark runs exited non-zero");
        return failures == 0 ? 0 : 1;
    }

    private static SpeedResult Speed(string program, int runs)
    {
        var seconds = new List<double>();
        long instructions = 0;
        int status = 0;
        for (int i = 0; i < runs; i++)
        {
            var kernel = new KernelCore(new KernelOptions { Harts = 1 });
            var result = kernel.Run(program, [program]);
            if (result.Message != null) Console.Error.WriteLine($"bulwark: {result.Message}");
            status = result.ExitStatus;
            seconds.Add(kernel.Stats.HostSeconds);
            instructions = kernel.Stats.Instructions;
        }
        double median = seconds.Order().ElementAt(seconds.Count / 2);
        double? qemu = TimeQemu(program, runs);
        return new SpeedResult(Path.GetFileName(program), instructions, runs, median, instructions / median / 1e6, qemu, qemu is { } q ? median / q : null, status);
    }

    private static void PrintSpeed(SpeedResult s)
    {
        Console.WriteLine($"guest: {s.Guest}, {s.Instructions:N0} instructions, median of {s.Runs} runs");
        Console.WriteLine($"bulwark: {s.MedianSeconds:F3} s, {s.Mips:F1} MIPS");
        if (s.QemuSeconds is { } q) Console.WriteLine($"qemu-riscv64: {q:F3} s; bulwark/qemu time ratio {s.QemuRatio:F1}x");
        else Console.WriteLine("qemu-riscv64: not installed, no ratio");
    }

    private static void PrintSuite(BenchReport report)
    {
        Console.WriteLine();
        Console.WriteLine($"Midas overhead, {report.SuiteFile} ({report.Suite.Count} benchmarks, median of {report.Runs} runs interleaved with and without, 2 harts, seed 0)");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("benchmark").AddColumn(new TableColumn("syscalls").RightAligned())
            .AddColumn(new TableColumn("instr. off").RightAligned()).AddColumn(new TableColumn("instr. midas").RightAligned())
            .AddColumn(new TableColumn("time off").RightAligned()).AddColumn(new TableColumn("time midas").RightAligned())
            .AddColumn(new TableColumn("overhead").RightAligned()).AddColumn(new TableColumn("versions").RightAligned())
            .AddColumn(new TableColumn("extra mem").RightAligned());
        foreach (var r in report.Suite)
        {
            table.AddRow(r.Benchmark, r.Syscalls.ToString("N0"), r.InstructionsOff.ToString("N0"), r.InstructionsMidas.ToString("N0"),
                $"{r.SecondsOff * 1000:F1} ms", $"{r.SecondsMidas * 1000:F1} ms",
                $"{r.OverheadPercent:+0.0;-0.0}% [{r.OverheadLowPercent:+0.0;-0.0}, {r.OverheadHighPercent:+0.0;-0.0}]",
                r.VersionsCreated.ToString("N0"), $"{r.PeakExtraBytes / 1024} KiB");
        }
        Consoles.PlainStdout().Write(table);
    }

    private static double? TimeQemu(string program, int runs)
    {
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using var process = Process.Start(new ProcessStartInfo("qemu-riscv64", [program]) { RedirectStandardOutput = true, UseShellExecute = false });
                if (process == null) return null;
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
            }
            catch (System.ComponentModel.Win32Exception) { return null; }
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}

/// <summary>The interpreter's speed on one guest: median host seconds of the timed runs, and qemu-riscv64's
/// median on the same ELF when it is installed.</summary>
public sealed record SpeedResult(string Guest, long Instructions, int Runs, double MedianSeconds, double Mips, double? QemuSeconds, double? QemuRatio, int ExitStatus);

/// <summary>One benchmark with and without Midas: medians of the interleaved timed runs (wall and CPU), and
/// the wall-time overhead's median with its order-statistic confidence interval (see Statistics).</summary>
public sealed record SuiteRow(
    string Benchmark, long Syscalls, long InstructionsOff, long InstructionsMidas, double SecondsOff, double SecondsMidas,
    double CpuSecondsOff, double CpuSecondsMidas, double OverheadPercent, double OverheadLowPercent, double OverheadHighPercent, double OverheadCoverage,
    long VersionsCreated, long PeakExtraBytes, int ExitStatusOff, int ExitStatusMidas)
{
    public static SuiteRow Of(BenchmarkComparison c)
    {
        var overhead = c.WallOverheadPercent;
        return new(
            c.Case.Label, c.Baseline.Syscalls, c.Baseline.Instructions, c.Midas.Instructions, c.Baseline.Cost.Wall.Median, c.Midas.Cost.Wall.Median,
            c.Baseline.Cost.Cpu.Median, c.Midas.Cost.Cpu.Median, overhead.Median, overhead.Low, overhead.High, overhead.Coverage,
            c.Midas.VersionsCreated, c.Midas.PeakExtraBytes, c.Baseline.ExitStatus, c.Midas.ExitStatus);
    }
}

/// <summary>Everything `bulwark bench` measured; `--json` prints it as one document.</summary>
public sealed record BenchReport(SpeedResult Speed, string? SuiteFile, int Runs, IReadOnlyList<SuiteRow> Suite);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJson : JsonSerializerContext;
