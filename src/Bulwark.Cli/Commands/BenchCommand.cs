using System.CommandLine;
using System.Diagnostics;
using Bulwark.Kernel;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark bench`: runs a compute-heavy guest, prints the interpreter's MIPS and, where
/// qemu-riscv64 is installed, the time ratio against it on the same ELF.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var program = new Argument<string>("program") { Description = "Guest ELF to time", DefaultValueFactory = _ => DefaultGuest() };
        var runs = new Option<int>("--runs") { Description = "Timed runs (the median is reported)", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Measure interpreter speed (MIPS) and the ratio to qemu-riscv64") { program, runs };
        command.SetAction(p => Execute(p.GetValue(program)!, Math.Max(1, p.GetValue(runs))));
        return command;
    }

    private static string DefaultGuest()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "guests", "compute.elf");
            if (File.Exists(candidate)) return candidate;
        }
        return "tests/guests/compute.elf";
    }

    private static int Execute(string program, int runs)
    {
        if (!File.Exists(program))
        {
            Console.Error.WriteLine($"bulwark: error: {program}: no such file");
            return RunCommand.InputError;
        }
        var seconds = new List<double>();
        long instructions = 0;
        for (int i = 0; i < runs; i++)
        {
            var kernel = new KernelCore(new KernelOptions { Harts = 1 });
            try { var result = kernel.Run(program, [program]); if (result.Message != null) Console.Error.WriteLine($"bulwark: {result.Message}"); }
            catch (Kernel.Elf.ElfException e) { Console.Error.WriteLine($"bulwark: error: {e.Message}"); return RunCommand.InputError; }
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
