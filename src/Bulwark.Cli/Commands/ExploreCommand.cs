using System.CommandLine;
using Bulwark.Kernel;
using Bulwark.Kernel.Elf;
using Bulwark.Machine.Elf;
using Bulwark.Lab.Exploration;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark explore`: searches thread interleavings for one that breaks the program.</summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var program = new Argument<string>("program") { Description = "Static riscv64 ELF to explore" };
        var arguments = new Argument<string[]>("args") { Description = "Arguments passed to the guest", Arity = ArgumentArity.ZeroOrMore };
        var strategy = new Option<string>("--strategy") { Description = "random or pct", DefaultValueFactory = _ => "random" };
        var budget = new Option<int>("--budget") { Description = "Schedules to try at most", DefaultValueFactory = _ => 100 };
        var depth = new Option<int>("--depth") { Description = "PCT bug depth d (d-1 priority change points)", DefaultValueFactory = _ => 2 };
        var protect = new Option<string>("--protect") { Description = "none or midas", DefaultValueFactory = _ => "none" };
        var harts = new Option<int>("--harts") { Description = "Simulated CPUs", DefaultValueFactory = _ => 4 };
        var seed = new Option<ulong>("--seed") { Description = "First seed; schedule i uses seed+i", DefaultValueFactory = _ => 0 };
        var maxInstructions = new Option<long>("--max-instructions") { Description = "Per-run instruction limit (a run reaching it is inconclusive)", DefaultValueFactory = _ => 200_000_000 };
        var output = new Option<string?>("--output") { Description = "Where to write the failing schedule (default PROGRAM.failing.schedule)" };
        var command = new Command("explore", "Search interleavings (random or PCT) for a schedule ending in a violation or a non-zero exit; exits 1 if found")
        {
            program, arguments, strategy, budget, depth, protect, harts, seed, maxInstructions, output,
        };
        OptionRules.Require(strategy, s => s is "random" or "pct", "is not one of: random, pct");
        OptionRules.Require(protect, ProtectionNames.IsValid, $"is not one of: {ProtectionNames.Choices}");
        OptionRules.Require(budget, b => b >= 1, "is not a positive number of schedules");
        OptionRules.Require(depth, d => d is >= 1 and <= 10, "is not between 1 and 10");
        OptionRules.Require(harts, h => h is >= 1 and <= 64, "is not between 1 and 64");
        OptionRules.Require(maxInstructions, n => n >= 1, "is not a positive number of instructions");
        command.SetAction(p =>
        {
            var settings = new ExplorationSettings(
                p.GetValue(program)!, p.GetValue(arguments) ?? [],
                p.GetValue(strategy) == "pct" ? ExplorationStrategy.Pct : ExplorationStrategy.Random,
                p.GetValue(budget), p.GetValue(depth),
                ProtectionNames.Parse(p.GetValue(protect)),
                p.GetValue(harts), p.GetValue(seed), p.GetValue(maxInstructions));
            return Execute(settings, p.GetValue(output) ?? Path.GetFileNameWithoutExtension(settings.Program) + ".failing.schedule");
        });
        return command;
    }

    private static int Execute(ExplorationSettings settings, string output)
    {
        try
        {
            LinuxExecutable.Load(settings.Program);
            OutputFiles.CheckWritable(output, "--output");
        }
        catch (Exception e) when (e is ElfException or OutputFileException)
        {
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
        var explorer = new Explorer(settings);
        ExplorationOutcome outcome = null!;
        if (Console.IsErrorRedirected) outcome = explorer.Explore();
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress().AutoClear(true).Start(context =>
            {
                var task = context.AddTask($"exploring {Path.GetFileName(settings.Program)} ({settings.Strategy.ToString().ToLowerInvariant()})", maxValue: settings.Budget);
                outcome = explorer.Explore(done => task.Value = done);
            });
        }
        string protection = ProtectionNames.Name(settings.Protection);
        Console.WriteLine($"schedules tried: {outcome.SchedulesTried} of {settings.Budget} ({outcome.SchedulesPerSecond:F1} schedules/s, {outcome.Inconclusive} inconclusive)");
        if (!outcome.Found)
        {
            Console.WriteLine($"outcome: clean: no violation and no failing exit in {outcome.SchedulesTried} schedules (strategy {settings.Strategy.ToString().ToLowerInvariant()}, protect {protection})");
            return 0;
        }
        outcome.FailingSchedule!.Save(output, $"bulwark explore of {Path.GetFileName(settings.Program)}, strategy {settings.Strategy.ToString().ToLowerInvariant()}",
            RecordedSettings.Of(settings.Program, outcome.FailingSeed!.Value, settings.Harts, settings.Protection, settings.MaxInstructionsPerRun));
        var failure = outcome.Failure!;
        Console.WriteLine($"outcome: FOUND at schedule {outcome.SchedulesTried} (seed {outcome.FailingSeed}): exit {failure.ExitStatus}{(failure.Message != null ? ": " + failure.Message : "")}");
        Console.WriteLine($"schedule written to {output}; reproduce with:");
        string args = string.Join(' ', settings.Arguments);
        // Explored runs read an empty stdin; so must the replay.
        Console.WriteLine($"  bulwark run --replay {output} {settings.Program}{(args.Length > 0 ? " " + args : "")} </dev/null");
        return 1;
    }
}
