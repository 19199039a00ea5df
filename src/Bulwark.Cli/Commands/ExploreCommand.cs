using System.CommandLine;
using Bulwark.Lab.Exploration;
using Bulwark.Machine.Elf;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark explore`: searches thread interleavings for one that breaks the program. It takes every
/// guest option `run` takes, so the failing schedule it writes replays under `run` on the same machine.</summary>
public static class ExploreCommand
{
    public const long DefaultInstructionLimit = 200_000_000;

    public static Command Create()
    {
        var guest = new GuestOptions(DefaultInstructionLimit);
        var strategy = new Option<string>("--strategy") { HelpName = "random|pct", Description = "random or pct", DefaultValueFactory = _ => "random" };
        var budget = new Option<int>("--budget") { HelpName = "N", Description = "Schedules to try at most", DefaultValueFactory = _ => 100 };
        var depth = new Option<int>("--depth") { HelpName = "D", Description = "PCT bug depth d (d-1 priority change points)", DefaultValueFactory = _ => 2 };
        var seed = new Option<ulong>("--seed") { HelpName = "S", Description = "First seed; schedule i uses seed+i", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--output") { HelpName = "FILE", Description = "Where to write the failing schedule (default PROGRAM.failing.schedule)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout instead of the text report (what `bulwark merge` reads)" };
        var shard = ShardOption.Create("Run only shard I of N (schedules j with j mod N = I); combine the shards' --json with `bulwark merge`");
        var command = new Command("explore", "Search interleavings (random or PCT) for a schedule ending in a violation or a non-zero exit; exits 1 if found");
        guest.AddTo(command, [strategy, budget, depth, seed, output, json, shard]);
        OptionRules.Require(strategy, s => s is "random" or "pct", "is not one of: random, pct");
        OptionRules.Require(budget, b => b >= 1, "is not a positive number of schedules");
        OptionRules.Require(depth, d => d is >= 1 and <= 10, "is not between 1 and 10");
        command.SetAction(p =>
        {
            var g = guest.Read(p);
            var settings = new ExplorationSettings(
                g.Program, g.Arguments,
                p.GetValue(strategy) == "pct" ? ExplorationStrategy.Pct : ExplorationStrategy.Random,
                p.GetValue(budget), p.GetValue(depth), g.Protection, g.Harts, p.GetValue(seed), g.MaxInstructions, g.Mounts)
            {
                Machine = g.Kernel(p.GetValue(seed)),
                Shard = ShardOption.Read(p, shard),
            };
            return Execute(settings, g, p.GetValue(output) ?? Path.GetFileNameWithoutExtension(g.Program) + ".failing.schedule", p.GetValue(json));
        });
        return command;
    }

    private static int Execute(ExplorationSettings settings, GuestSettings guest, string output, bool json)
    {
        Explorer explorer;
        try
        {
            // The explorer reads and checks the program once, for every schedule.
            explorer = new Explorer(settings);
            OutputFiles.CheckWritable(output, "--output");
        }
        catch (Exception e) when (e is ElfException or OutputFileException)
        {
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
        ExplorationOutcome outcome = null!;
        if (Console.IsErrorRedirected) outcome = explorer.Explore();
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress().AutoClear(true).Start(context =>
            {
                int mine = Enumerable.Range(0, settings.Budget).Count(settings.Shard.Contains);
                var task = context.AddTask($"exploring {Path.GetFileName(settings.Program)} ({ExploreReport.StrategyName(settings)})", maxValue: mine);
                outcome = explorer.Explore(done => task.Value = done);
            });
        }
        var report = ExploreReport.Of(settings, guest, outcome, output);
        if (report.Failure is { } failure) File.WriteAllText(output, failure.ScheduleText);
        if (json) report.WriteJson(Console.Out);
        else report.Print(Console.Out);
        return report.Failure != null ? 1 : 0;
    }
}
