using System.CommandLine;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark merge`: the shards' `explore --shard I/N --json` results, combined into the report one
/// machine would have made (text, or JSON with --json), with the failing schedule written out again.</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("results") { Description = "The shards' JSON results (explore --shard I/N --json > FILE), every shard once", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output") { HelpName = "FILE", Description = "Where to write the failing schedule (default PROGRAM.failing.schedule)" };
        var json = new Option<bool>("--json") { Description = "Print the merged result as one JSON document instead of the text report" };
        var command = new Command("merge", "Combine the JSON results of `explore --shard` runs into the result of the whole search; exits 1 if a failure was found") { files, output, json };
        command.SetAction(p => Execute(p.GetValue(files)!, p.GetValue(output), p.GetValue(json)));
        return command;
    }

    private static int Execute(string[] files, string? output, bool json)
    {
        ExploreReport merged;
        try
        {
            var shards = files.Select(f => (f, ExploreReport.Read(f))).ToList();
            output ??= Path.GetFileNameWithoutExtension(shards[0].Item2.Program) + ".failing.schedule";
            merged = ExploreMerge.Merge(shards, output);
            if (merged.Failure != null) OutputFiles.CheckWritable(output, "--output");
        }
        catch (Exception e) when (e is ExploreReportException or OutputFileException)
        {
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
        if (merged.Failure is { } failure) File.WriteAllText(failure.ScheduleFile, failure.ScheduleText);
        if (json) merged.WriteJson(Console.Out);
        else merged.Print(Console.Out);
        return merged.Failure != null ? 1 : 0;
    }
}
