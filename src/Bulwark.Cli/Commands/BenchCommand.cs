using System.CommandLine;
using System.Diagnostics;
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
        var command = new Command("bench", "Measure interpreter speed (MIPS, ratio to qemu-riscv64) and the overhead of Midas per benchmark") { program, runs, suite };
        OptionRules.Require(runs, n => n is >= 1 and <= 100, "is not between 1 and 100");
        command.SetAction(p => Execute(
            p.GetValue(program) ?? Repository.Find("tests", "guests", "compute.elf") ?? "tests/guests/compute.elf",
            p.GetValue(runs),
            p.GetValue(suite) ?? Repository.Find("bench", "guests", "suite.txt") ?? "bench/guests/suite.txt"));
        return command;
    }

    private static int Execute(string program, int runs, string suite)
    {
        if (!File.Exists(program))
        {
            Console.Error.WriteLine($"bulwark: error: {program}: no such file");
            return RunCommand.InputError;
        }
        int status = Speed(program, runs);
        if (status != 0 || suite == "none") return status;
        return Suite(suite, runs);
    }

    private static int Speed(string program, int runs)
    {
        var seconds = new List<double>();
        long instructions = 0;
        for (int i = 0; i < runs; i++)
        {
            var kernel = new KernelCore(new KernelOptions { Harts = 1 });
            try
            {
                var result = kernel.Run(program, [program]);
                if (result.Message != null) Console.Error.WriteLine($"bulwark: {result.Message}");
            }
            catch (Machine.Elf.ElfException e)
            {
                Console.Error.WriteLine($"bulwark: error: {e.Message}");
                return RunCommand.InputError;
            }
            seconds.Add(kernel.Stats.HostSeconds);
            instructions = kernel.Stats.Instructions;
        }
        double median = seconds.Order().ElementAt(seconds.Count / 2);
        Console.WriteLine($"guest: {Path.GetFileName(program)}, {instructions:N0} instructions, median of {runs} runs");
        Console.WriteLine($"bulwark: {median:F3} s, {instructions / median / 1e6:F1} MIPS");
        var qemu = TimeQemu(program, runs);
        if (qemu is { } q) Console.WriteLine($"qemu-riscv64: {q:F3} s; bulwark/qemu time ratio {median / q:F1}x");
        else Console.WriteLine("qemu-riscv64: not installed, no ratio");
        return 0;
    }

    private static int Suite(string suiteFile, int runs)
    {
        IReadOnlyList<BenchmarkCase> cases;
        try { cases = BenchmarkCase.ReadSuite(suiteFile); }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
        Console.WriteLine();
        Console.WriteLine($"Midas overhead, {Path.GetFileName(suiteFile)} ({cases.Count} benchmarks, median of {runs} runs interleaved with and without, 2 harts, seed 0)");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("benchmark").AddColumn(new TableColumn("syscalls").RightAligned())
            .AddColumn(new TableColumn("instr. off").RightAligned()).AddColumn(new TableColumn("instr. midas").RightAligned())
            .AddColumn(new TableColumn("time off").RightAligned()).AddColumn(new TableColumn("time midas").RightAligned())
            .AddColumn(new TableColumn("overhead").RightAligned()).AddColumn(new TableColumn("versions").RightAligned())
            .AddColumn(new TableColumn("extra mem").RightAligned());
        int failures = 0;
        foreach (var benchmark in cases)
        {
            var c = ProtectionBenchmark.Compare(benchmark, runs);
            if (c.Baseline.ExitStatus != 0 || c.Midas.ExitStatus != 0) failures++;
            table.AddRow(benchmark.Label, c.Baseline.Syscalls.ToString("N0"),
                c.Baseline.Instructions.ToString("N0"), c.Midas.Instructions.ToString("N0"),
                $"{c.Baseline.Cost.Wall.Median * 1000:F1} ms", $"{c.Midas.Cost.Wall.Median * 1000:F1} ms",
                $"{c.WallOverheadPercent.Median:+0.0;-0.0}%", c.Midas.VersionsCreated.ToString("N0"), $"{c.Midas.PeakExtraBytes / 1024} KiB");
        }
        Consoles.PlainStdout().Write(table);
        if (failures > 0) Console.Error.WriteLine($"bulwark: {failures} benchmark runs exited non-zero");
        return failures == 0 ? 0 : 1;
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
