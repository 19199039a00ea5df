using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Cli.Report;
using Bulwark.Lab.Benchmarks;
using Bulwark.Lab.Evaluation;
using Bulwark.Machine.Cpu;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark bench`: the speed of the interpreter, the block engine and qemu-riscv64 on the
/// workloads of a speed file (and a program given on the command line), then the cost of Midas on the
/// guest benchmark suite.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        // Defaults are found at execution, so the help shows where they come from rather than one machine's path.
        var program = new Argument<string?>("program") { Description = "Guest ELF to time as one more speed workload, without arguments (with --speed none, the only one)", Arity = ArgumentArity.ZeroOrOne };
        var runs = new Option<int>("--runs") { Description = "Timed runs of each measurement, after the warm-up rounds (the median is reported)", DefaultValueFactory = _ => 3 };
        var warmUp = new Option<int>("--warm-up") { HelpName = "ROUNDS", Description = "Rounds of each measurement run and discarded first, while .NET compiles and then optimises Bulwark's own code", DefaultValueFactory = _ => DefaultWarmUpRounds };
        var speed = new Option<string?>("--speed") { HelpName = "FILE", Description = "Speed workload file (LABEL ELF ARGS... per line); 'none' to skip [default: the bundled bench/guests/speed.txt]" };
        var suite = new Option<string?>("--suite") { HelpName = "FILE", Description = "Benchmark suite file (LABEL ELF ARGS... per line); 'none' to skip [default: the bundled bench/guests/suite.txt]" };
        var engine = new Option<string>("--engine") { HelpName = "interpreter|jit", Description = "The engine the Midas suite runs under", DefaultValueFactory = _ => "jit" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout instead of the tables" };
        var command = new Command("bench", "Measure the engines' speed against qemu-riscv64, and the overhead of Midas per benchmark") { program, runs, warmUp, speed, suite, engine, json };
        OptionRules.Require(runs, n => n is >= 1 and <= 100, "is not between 1 and 100");
        OptionRules.Require(warmUp, n => n is >= 1 and <= 100, "is not between 1 and 100");
        OptionRules.Require(engine, e => EngineNames.TryParse(e, out _), $"is not one of: {EngineNames.Choices}");
        command.SetAction(p => Execute(new BenchSettings(
            p.GetValue(program),
            p.GetValue(runs),
            p.GetValue(warmUp),
            p.GetValue(speed) ?? Repository.Find("bench", "guests", "speed.txt") ?? "bench/guests/speed.txt",
            p.GetValue(suite) ?? Repository.Find("bench", "guests", "suite.txt") ?? "bench/guests/suite.txt",
            EngineNames.TryParse(p.GetValue(engine), out var kind) ? kind : EngineKind.Jit,
            p.GetValue(json))));
        return command;
    }

    private sealed record BenchSettings(string? Program, int Runs, int WarmUp, string Speed, string Suite, EngineKind Engine, bool Json);

    private static int Refuse(string message)
    {
        Console.Error.WriteLine($"bulwark: error: {message}");
        return RunCommand.InputError;
    }

    private static int Execute(BenchSettings s)
    {
        foreach (string? file in new[] { s.Program, s.Speed == "none" ? null : s.Speed, s.Suite == "none" ? null : s.Suite })
            if (file != null && !File.Exists(file)) return Refuse($"{file}: no such file");
        var workloads = new List<BenchmarkCase>();
        IReadOnlyList<BenchmarkCase> cases = [];
        try
        {
            if (s.Speed != "none") workloads.AddRange(BenchmarkCase.ReadSuite(s.Speed));
            if (s.Suite != "none") cases = BenchmarkCase.ReadSuite(s.Suite);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { return Refuse(e.Message); }
        if (s.Program != null) workloads.Add(new BenchmarkCase(Path.GetFileNameWithoutExtension(s.Program), Path.GetFullPath(s.Program), [], []));

        bool qemu = workloads.Count > 0 && SpeedBenchmark.QemuInstalled();
        if (workloads.Count > 0 && !qemu) Console.Error.WriteLine($"bulwark: {SpeedBenchmark.Qemu} is not installed: timing Bulwark's engines only");
        var machine = RunContextProbe.Capture(Environment.GetCommandLineArgs()[1..]);
        var speedRows = new List<SpeedRow>();
        foreach (var workload in workloads)
        {
            SpeedComparison comparison;
            try { comparison = SpeedBenchmark.Compare(workload, s.Runs, qemu, s.WarmUp); }
            catch (Exception e) when (e is Machine.Elf.ElfException or Kernel.Fs.MountException) { return Refuse($"{workload.Label}: {e.Message}"); }
            foreach (string mismatch in comparison.Mismatches) Console.Error.WriteLine($"bulwark: {workload.Label}: output differs: {mismatch}");
            speedRows.Add(SpeedRow.Of(comparison));
        }
        var rows = cases.Select(c => SuiteRow.Of(ProtectionBenchmark.Compare(c, s.Runs, s.Engine, s.WarmUp))).ToList();
        var report = new BenchReport(machine, s.Speed == "none" ? null : Path.GetFileName(s.Speed), qemu, speedRows,
            s.Suite == "none" ? null : Path.GetFileName(s.Suite), EngineNames.Name(s.Engine), s.Runs, s.WarmUp, rows);
        if (s.Json) Console.Out.WriteLine(JsonSerializer.Serialize(report, BenchJson.Default.BenchReport));
        else
        {
            if (speedRows.Count > 0) PrintSpeed(report);
            if (rows.Count > 0) PrintSuite(report);
        }
        int differing = speedRows.Count(r => r.Mismatches.Count > 0);
        if (differing > 0) Console.Error.WriteLine($"bulwark: {differing} speed workloads printed different output or exit status under different configurations");
        int failures = report.Suite.Count(r => r.ExitStatusOff != 0 || r.ExitStatusMidas != 0) + speedRows.Count(r => r.ExitStatus != 0);
        if (failures > 0) Console.Error.WriteLine($"bulwark: {failures} benchmark runs exited non-zero");
        return failures + differing == 0 ? 0 : 1;
    }

    private static void PrintSpeed(BenchReport report)
    {
        var m = report.Machine;
        TextTables.Lines($"Machine: {m.Cpu}, {m.Cores} cores, {m.Os}, {m.Dotnet}; commit {ShortCommit(m.Commit)}, {m.DateUtc}.");
        Console.WriteLine();
        string[] configurations = report.Qemu ? [SpeedBenchmark.Interpreter, SpeedBenchmark.Jit, SpeedBenchmark.Qemu] : [SpeedBenchmark.Interpreter, SpeedBenchmark.Jit];
        TextTables.Print(new ReportTable("speed", "wall", $"Wall time per run in ms, {report.SpeedFile ?? "the program"}",
            ["workload", "guest instr. (M)", .. configurations],
            [false, true, .. configurations.Select(_ => true)],
            [.. report.Speed.Select(r => (string[])[r.Workload, Short(r.Instructions / 1e6), .. configurations.Select(c => MsCi(r.Configuration(c).Wall))])]));
        // With --engine jit the block engine compiles on a worker thread, so its CPU time exceeds its wall time.
        TextTables.Print(new ReportTable("speed", "cpu", "CPU time per run in ms (all of bulwark's threads; qemu-riscv64's process)",
            ["workload", .. configurations],
            [false, .. configurations.Select(_ => true)],
            [.. report.Speed.Select(r => (string[])[r.Workload, .. configurations.Select(c => MsCi(r.Configuration(c).Cpu))])]));
        var engines = new List<string[]>();
        foreach (var r in report.Speed)
        {
            string[] ratios = report.Qemu ? [Ratio(r.JitToQemu!), Ratio(r.InterpreterToQemu!)] : [];
            engines.Add([r.Workload, .. ratios, Mips(r.Configuration(SpeedBenchmark.Interpreter)), Mips(r.Configuration(SpeedBenchmark.Jit)),
                r.Jit is { } j ? $"{j.CompiledShare * 100:F1}%" : "-", r.Jit is { } k ? Short(k.CompileSeconds * 1000) : "-"]);
        }
        string[] ratioColumns = report.Qemu ? ["jit / qemu", "interpreter / qemu"] : [];
        TextTables.Print(new ReportTable("speed", "engines", "Time relative to qemu-riscv64, speed, and what the block engine compiled",
            ["workload", .. ratioColumns, "MIPS interp.", "MIPS jit", "run compiled", "compile ms"],
            [false, .. ratioColumns.Select(_ => true), true, true, true, true], engines,
            $"Cells: median of {report.Runs} timed round{(report.Runs == 1 ? "" : "s")} after {WarmUpWords(report.WarmUpRounds)}, the configurations interleaved in each round; " +
            $"[low, high]: {CiWords(report.Runs)}. Ratios are the median of the per-round ratios of wall time. MIPS: guest instructions " +
            "per second of the median wall time. Run compiled: the share of guest instructions the block engine ran in compiled " +
            "blocks; compile ms: its time emitting and JIT-compiling them (both from its last run). " +
            "Every configuration printed the same stdout and exit status unless reported on stderr."));
    }

    /// <summary>Warm-up rounds before the timed ones. One is not enough: for the next few rounds .NET
    /// recompiles Bulwark's code at its optimising tier on a thread of its own, about 0.2 s of CPU a round,
    /// which slowed every configuration, qemu-riscv64 (which shares the two cores) the most (see the README's
    /// performance section).</summary>
    public const int DefaultWarmUpRounds = 3;

    private static string WarmUpWords(int rounds) => rounds == 1 ? "a discarded warm-up round" : $"{rounds} discarded warm-up rounds";

    /// <summary>"0123456789ab" or "0123456789ab-dirty" from a full hash with its suffix.</summary>
    private static string ShortCommit(string commit) => commit.Length >= 40 ? commit[..12] + commit[40..] : commit;

    private static string Ratio(Estimate e) => $"{Short(e.Median)}x\n[{Short(e.Low)}, {Short(e.High)}]";

    private static string MsCi(Estimate e) => $"{Short(e.Median * 1000)}\n[{Short(e.Low * 1000)}, {Short(e.High * 1000)}]";

    /// <summary>Three significant digits for numbers under 100 (7.82, 16.0), none after the point above.</summary>
    private static string Short(double x) =>
        x.ToString(Math.Abs(x) >= 100 ? "F0" : Math.Abs(x) >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    private static string Mips(ConfigurationRow c) => (c.Instructions / c.Wall.Median / 1e6).ToString("F0", CultureInfo.InvariantCulture);

    private static string CiWords(int runs)
    {
        double coverage = Statistics.MedianCiCoverage(runs);
        return runs == 1 ? "one run gives no interval (raise --runs)"
            : $"order-statistic CI of the median, coverage {coverage * 100:F1}%" + (coverage < Statistics.Confidence ? " (min and max; 6 runs reach 95%)" : "");
    }

    private static void PrintSuite(BenchReport report)
    {
        Console.WriteLine();
        Console.WriteLine($"Midas overhead, {report.SuiteFile} ({report.Suite.Count} benchmarks, median of {report.Runs} runs interleaved with and without after {WarmUpWords(report.WarmUpRounds)}, 2 harts, seed 0, {report.Engine})");
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
                Markup.Escape($"{r.OverheadPercent:+0.0;-0.0}% [{r.OverheadLowPercent:+0.0;-0.0}, {r.OverheadHighPercent:+0.0;-0.0}]"),
                r.VersionsCreated.ToString("N0"), $"{r.PeakExtraBytes / 1024} KiB");
        }
        Consoles.PlainStdout().Write(table);
    }
}

/// <summary>One configuration's timed runs of a speed workload (qemu-riscv64: instructions 0, unknown).</summary>
public sealed record ConfigurationRow(string Configuration, long Instructions, IReadOnlyList<double> WallSeconds, IReadOnlyList<double> CpuSeconds, Estimate Wall, Estimate Cpu, double? Mips)
{
    public static ConfigurationRow Of(ConfigurationCost c) => new(
        c.Configuration, c.Instructions, [.. c.Samples.Select(x => x.WallSeconds)], [.. c.Samples.Select(x => x.CpuSeconds)], c.Wall, c.Cpu,
        c.Instructions > 0 ? c.Instructions / c.Wall.Median / 1e6 : null);
}

/// <summary>One speed workload: every configuration's runs, the wall-time ratios to qemu-riscv64 (median
/// and CI of the per-round ratios; null without qemu), the block engine's last run, and each run whose
/// output or exit status differed from the interpreter's.</summary>
public sealed record SpeedRow(
    string Workload, string Elf, IReadOnlyList<string> Arguments, long Instructions, int ExitStatus, IReadOnlyList<ConfigurationRow> Configurations,
    Estimate? JitToQemu, Estimate? InterpreterToQemu, JitSummary? Jit, IReadOnlyList<string> Mismatches)
{
    public ConfigurationRow Configuration(string name) => Configurations.First(c => c.Configuration == name);

    public static SpeedRow Of(SpeedComparison c)
    {
        var qemu = c.Cost(SpeedBenchmark.Qemu);
        Estimate? ToQemu(string name) => qemu == null ? null : c.Cost(name)!.Ratio(qemu, s => s.WallSeconds);
        return new(c.Case.Label, Path.GetFileName(c.Case.Elf), c.Case.Arguments, c.Cost(SpeedBenchmark.Interpreter)!.Instructions, c.ExitStatus,
            [.. c.Costs.Select(ConfigurationRow.Of)], ToQemu(SpeedBenchmark.Jit), ToQemu(SpeedBenchmark.Interpreter), c.Jit, c.Mismatches);
    }
}

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

/// <summary>Everything `bulwark bench` measured and the machine it ran on; `--json` prints it as one document.</summary>
public sealed record BenchReport(
    RunContext Machine, string? SpeedFile, bool Qemu, IReadOnlyList<SpeedRow> Speed, string? SuiteFile, string Engine, int Runs, int WarmUpRounds, IReadOnlyList<SuiteRow> Suite);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJson : JsonSerializerContext;
