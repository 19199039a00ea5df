using System.CommandLine;
using Bulwark.Cli.Report;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark merge`: the shards' results combined into the result one machine would have made. It
/// reads either `explore --shard I/N --json` results (prints the search's report, text or JSON, and writes
/// the failing schedule again) or `eval --shard I/N` results.json files (prints the tables and writes the
/// eval's report), and tells them apart by their content.</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("results")
        {
            Description = "The shards' results, every shard once: explore --shard I/N --json > FILE, or eval --shard I/N's results.json",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--output") { HelpName = "FILE", Description = "explore: where to write the failing schedule (default PROGRAM.failing.schedule)" };
        var json = new Option<bool>("--json") { Description = "explore: print the merged result as one JSON document instead of the text report" };
        var report = new Option<string?>("--out") { HelpName = "DIR", Description = "eval: directory for the report: index.html, results.json and the plots [default: eval-results]" };
        var command = new Command("merge", "Combine the results of `explore --shard` runs (exits 1 if a failure was found) or of `eval --shard` runs " +
            "(prints the tables and writes the report; exits as eval does) into the result of the whole run") { files, output, json, report };
        command.SetAction(p =>
        {
            string[] paths = p.GetValue(files)!;
            if (!EvalMerge.IsEvalResults(paths[0]))
                return p.GetValue(report) == null ? Explore(paths, p.GetValue(output), p.GetValue(json)) : Refuse("--out is for eval results; these are explore's");
            return p.GetValue(output) == null && !p.GetValue(json) ? Eval(paths, p.GetValue(report) ?? "eval-results")
                : Refuse("--output and --json are for explore results; an eval's merged report goes into --out DIR");
        });
        return command;
    }

    private static int Explore(string[] files, string? output, bool json)
    {
        ExploreReport merged;
        try
        {
            var shards = files.Select(f => (f, ExploreReport.Read(f))).ToList();
            output ??= Path.GetFileNameWithoutExtension(shards[0].Item2.Program) + ".failing.schedule";
            merged = ExploreMerge.Merge(shards, output);
            if (merged.Failure != null) OutputFiles.CheckWritable(output, "--output");
        }
        catch (Exception e) when (e is MergeException or OutputFileException) { return Refuse(e.Message); }
        if (merged.Failure is { } failure) File.WriteAllText(failure.ScheduleFile, failure.ScheduleText);
        if (json) merged.WriteJson(Console.Out);
        else merged.Print(Console.Out);
        return merged.Failure != null ? 1 : 0;
    }

    private static int Eval(string[] files, string output)
    {
        EvalResults merged;
        try
        {
            merged = EvalMerge.Merge([.. files.Select(f => (f, EvalMerge.Read(f)))], RunContextProbe.CommandLine(Environment.GetCommandLineArgs()[1..]));
            OutputFiles.CreateDirectory(output);
        }
        catch (Exception e) when (e is MergeException or OutputFileException) { return Refuse(e.Message); }
        return EvalReport.Write(merged, output);
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine($"bulwark: error: {message}");
        return RunCommand.InputError;
    }
}
