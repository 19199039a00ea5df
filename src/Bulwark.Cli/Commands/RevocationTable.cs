using Bulwark.Lab.Evaluation;
using Bulwark.Lab.Revocation;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark eval`'s revocation table (issue 9): every attack of tests/s3k-programs/revoke against
/// none, the seed's monitor and every kernel policy, with what broke and what it cost.</summary>
public static class RevocationTable
{
    public static int Execute(int budget)
    {
        string? programs = Repository.Find(".corpus", "s3k-programs");
        var runner = programs == null ? null : new RevocationRunner(programs);
        if (runner is not { Available: true })
        {
            Console.Error.WriteLine("bulwark: error: .corpus/s3k-programs/revoke.app*.elf not found; build them with tests/corpora/build.sh");
            return RunCommand.InputError;
        }
        var evaluation = new RevocationEvaluation(runner, budget);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var cells = evaluation.EvaluateAll(s =>
        {
            if (!Console.IsErrorRedirected) console.MarkupLine($"[grey]{Markup.Escape(s.ToString())}...[/]");
        }).ToList();
        Print(cells, budget);
        var problems = RevocationEvaluation.Problems(cells);
        foreach (var problem in problems) Console.WriteLine($"revocation: {problem}");
        return problems.Count == 0 ? 0 : 1;
    }

    private static void Print(List<RevocationCell> cells, int budget)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"revoking a driver's memory under DMA: attack x defence, {budget} schedules each (bytes and requests: totals)")
            .Caption("raced: schedules where a revoke met memory the device could still touch; backstop: accesses only the per-access check "
                + "stopped, of requests in flight at the take (the policy failing); exposed: someone else's bytes a device could still reach "
                + "at the end, unchecked; latency: from the first try of a revoke to its memory's hand-over");
        table.AddColumn("attack").AddColumn("defence").AddColumn(new TableColumn("raced").RightAligned()).AddColumn(new TableColumn("broken").RightAligned())
            .AddColumn(new TableColumn("leaked B").RightAligned()).AddColumn(new TableColumn("corrupted B").RightAligned())
            .AddColumn(new TableColumn("after hand-over B").RightAligned()).AddColumn(new TableColumn("exposed B").RightAligned())
            .AddColumn(new TableColumn("twice").RightAligned()).AddColumn(new TableColumn("lost").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn("completed").RightAligned())
            .AddColumn(new TableColumn("refused").RightAligned()).AddColumn(new TableColumn("backstop").RightAligned()).AddColumn(new TableColumn("latency us mean/max").RightAligned())
            .AddColumn(new TableColumn("never").RightAligned()).AddColumn(new TableColumn("MB/s").RightAligned());
        foreach (var c in cells)
        {
            string latency = c.MaxLatencyUs is { } max ? $"{c.MeanLatencyUs:F1}/{max:F1}" : "-";
            table.AddRow(c.Scenario.Attack.ToString().ToLowerInvariant(), c.Scenario.Defence, c.Raced.ToString(), $"{c.Broken}/{c.Runs}",
                c.Leaked.ToString("N0"), c.Corrupted.ToString("N0"), c.AfterHandOver.ToString("N0"), c.ExposedAtEnd.ToString("N0"),
                c.CompletedTwice.ToString(), c.Lost.ToString(), c.Failed.ToString(), c.Completed.ToString(), c.Refused.ToString(), c.Backstopped.ToString(),
                latency, c.NeverAvailable.ToString(), c.ThroughputMBps.ToString("F2"));
        }
        Consoles.PlainStdout().Write(table);
    }
}
