using System.CommandLine;
using Bulwark.Kernel;
using Bulwark.Kernel.Elf;
using Bulwark.Kernel.Fs;
using Bulwark.Lab.Debugging;
using Bulwark.Machine.Elf;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark run`: runs one static riscv64 Linux program and exits with its status.</summary>
public static class RunCommand
{
    /// <summary>Exit status when Bulwark itself refuses the input (bad ELF, bad option, bad schedule).</summary>
    public const int InputError = 2;
    /// <summary>Exit status for a bug in Bulwark (reported in one line, never as a stack trace).</summary>
    public const int InternalError = 70;

    public static Command Create()
    {
        var options = new RunOptions();
        var command = new Command("run", "Run a static riscv64 Linux ELF; exits with the guest's status (128+N if killed by signal N)");
        options.AddTo(command);
        command.SetAction(parse => Execute(options.Read(parse)));
        return command;
    }

    public static int Execute(RunSettings s)
    {
        var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        var stderr = Console.OpenStandardError();
        try
        {
            if (s.Record != null) OutputFiles.CheckWritable(s.Record, "--record");
            if (s.StatsJson != null) OutputFiles.CheckWritable(s.StatsJson, "--stats-json");
            ScheduleRecording? recording = null;
            ISchedulingStrategy strategy = new RandomStrategy(s.Seed);
            if (s.Replay != null)
            {
                strategy = recording = ScheduleRecording.Replay(s.Replay);
                s = RecordedSettings.Apply(s, recording, s.Replay);
            }
            else if (s.Record != null) strategy = recording = ScheduleRecording.Record(strategy);
            var g = s.Guest;
            var kernel = new KernelCore(g.Kernel(s.Seed, strategy) with
            {
                TraceSyscalls = s.Trace,
                Stdin = Console.OpenStandardInput(),
                Stdout = stdout,
                Stderr = stderr,
            });
            using var debugger = s.GdbPort is { } port ? GdbSession.Attach(kernel, port) : null;
            var result = kernel.Run(g.Program, [g.Program, .. g.Arguments]);
            debugger?.Exited(result.ExitStatus);
            if (result.Message != null) Console.Error.WriteLine(result.IsViolation ? result.Message : $"bulwark: {result.Message}");
            if (s.Record != null)
                recording!.Save(s.Record, $"bulwark run of {Path.GetFileName(g.Program)}", RecordedSettings.Of(g, s.Seed));
            if (s.Replay != null && !recording!.Exhausted)
                Console.Error.WriteLine($"bulwark: warning: the run ended before using all decisions of {s.Replay}");
            if (s.Stats || s.StatsJson != null)
            {
                var counters = RunCounters.Of(kernel);
                if (s.Stats) StatsReport.Print(counters);
                if (s.StatsJson != null) StatsReport.WriteJson(s.StatsJson, g.Program, result, counters);
            }
            return result.ExitStatus;
        }
        catch (DebuggerKilledException)
        {
            stdout.Flush();
            Console.Error.WriteLine("bulwark: killed by gdb");
            return 137;
        }
        catch (Exception e) when (e is ElfException or ScheduleException or MountException or GdbSessionException or OutputFileException)
        {
            stdout.Flush();
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return InputError;
        }
        catch (Exception e)
        {
            stdout.Flush();
            Console.Error.WriteLine($"bulwark: internal error: {e.GetType().Name}: {e.Message}");
            return InternalError;
        }
    }
}
