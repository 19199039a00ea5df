using System.ComponentModel;
using System.Diagnostics;
using Bulwark.Kernel;
using Bulwark.Lab.Evaluation;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;

namespace Bulwark.Lab.Benchmarks;

/// <summary>What the block engine did in the last timed run of a workload.</summary>
public sealed record JitSummary(long BlocksCompiled, double CompileSeconds, long InstructionsRunCompiled, long Instructions)
{
    public double CompiledShare => Instructions > 0 ? (double)InstructionsRunCompiled / Instructions : 0;
}

/// <summary>One workload under every configuration: the interleaved timings (qemu-riscv64's instruction
/// count is unknown and 0), the last run's exit status, the block engine's statistics, and each run whose
/// stdout or exit status differed from the interpreter's first run.</summary>
public sealed record SpeedComparison(BenchmarkCase Case, IReadOnlyList<ConfigurationCost> Costs, int ExitStatus, JitSummary? Jit, IReadOnlyList<string> Mismatches)
{
    public ConfigurationCost? Cost(string configuration) => Costs.FirstOrDefault(c => c.Configuration == configuration);
}

/// <summary>Times guests under the interpreter, the block engine and (when installed) qemu-riscv64, the
/// runs interleaved (see <see cref="Interleaved"/>). Bulwark runs in this process on one hart, seed 0, an
/// empty environment and stdin; qemu-riscv64 gets the same argv, an empty environment and /dev/null, so
/// every configuration must print the same bytes and exit with the same status.</summary>
public static class SpeedBenchmark
{
    public const string Interpreter = "interpreter", Jit = "jit", Qemu = "qemu-riscv64";

    /// <summary>Whether qemu-riscv64 can be started (it is looked up on PATH).</summary>
    public static bool QemuInstalled()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Qemu, ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process == null) return false;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (Win32Exception) { return false; }
    }

    /// <exception cref="Machine.Elf.ElfException">The ELF cannot be loaded.</exception>
    /// <exception cref="Kernel.Fs.MountException">A mounted directory cannot be read.</exception>
    public static SpeedComparison Compare(BenchmarkCase workload, int runs, bool withQemu, int warmUpRounds)
    {
        IReadOnlyList<string> configurations = withQemu ? [Interpreter, Jit, Qemu] : [Interpreter, Jit];
        string[] argv = [workload.Elf, .. workload.Arguments];
        (byte[] Stdout, int Status)? reference = null;
        var mismatches = new List<string>();
        int status = 0;
        JitSummary? jit = null;
        int round = -warmUpRounds - 1; // warm-up rounds are negative
        var costs = Interleaved.Measure(configurations, runs, c =>
        {
            if (c == 0) round++;
            var stdout = new MemoryStream();
            long instructions;
            if (configurations[c] == Qemu)
            {
                status = RunQemu(argv, stdout);
                instructions = 0;
            }
            else
            {
                var kernel = new KernelCore(new KernelOptions
                {
                    Harts = 1,
                    Seed = 0,
                    Mounts = workload.Mounts,
                    Stdout = stdout,
                    Engine = configurations[c] == Jit ? EngineKind.Jit : EngineKind.Interpreter,
                });
                status = kernel.Run(workload.Elf, argv).ExitStatus;
                instructions = kernel.Stats.Instructions;
                if (kernel.Machine.Engine is BlockEngine engine)
                    jit = new JitSummary(engine.Stats.BlocksCompiled, engine.Stats.CompileTime.TotalSeconds, engine.Stats.InstructionsRunCompiled, instructions);
            }
            byte[] output = stdout.ToArray();
            reference ??= (output, status);
            if (!output.AsSpan().SequenceEqual(reference.Value.Stdout) || status != reference.Value.Status)
                mismatches.Add($"{configurations[c]} ({(round < 0 ? "warm-up" : $"round {round + 1}")}): {output.Length} bytes of stdout, exit status {status}; " +
                               $"{Interpreter} printed {reference.Value.Stdout.Length} bytes, exit status {reference.Value.Status}");
            return instructions;
        }, warmUpRounds);
        return new SpeedComparison(workload, costs, status, jit, mismatches);
    }

    private static int RunQemu(string[] argv, Stream stdout)
    {
        var info = new ProcessStartInfo(Qemu) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in argv) info.ArgumentList.Add(a);
        info.Environment.Clear();
        using var process = Process.Start(info) ?? throw new Win32Exception($"{Qemu} did not start");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        stderr.Wait();
        process.WaitForExit();
        return process.ExitCode;
    }
}
