using System.CommandLine;
using System.CommandLine.Parsing;

namespace Bulwark.Cli.Commands;

/// <summary>The options of `bulwark run`, parsed and validated: the guest, and how this one run is driven and watched.</summary>
public sealed record RunSettings(
    GuestSettings Guest, ulong Seed, string? Record, string? Replay, bool Stats, string? StatsJson, bool Trace,
    IReadOnlySet<string> ExplicitOptions, int? GdbPort = null);

public sealed class RunOptions
{
    public readonly GuestOptions Guest = new(defaultInstructionLimit: null);
    public readonly Option<ulong> Seed = new("--seed") { HelpName = "S", Description = "Seed of the scheduler and of all guest-visible randomness", DefaultValueFactory = _ => 0 };
    public readonly Option<string?> Record = new("--record") { HelpName = "FILE", Description = "Write the schedule's decisions to FILE" };
    public readonly Option<string?> Replay = new("--replay") { HelpName = "FILE", Description = "Replay the schedule recorded in FILE (with the seed, harts and protection stored in it)" };
    public readonly Option<bool> Stats = new("--stats") { Description = "Print instructions, syscalls, page faults and MIPS on stderr at exit" };
    public readonly Option<string?> StatsJson = new("--stats-json") { HelpName = "FILE", Description = "Write the --stats counters (and the exit status) to FILE as one JSON document" };
    public readonly Option<bool> Trace = new("--trace-syscalls") { Description = "Print every system call and its result on stderr" };
    public readonly Option<int?> Gdb = new("--gdb") { HelpName = "PORT", Description = "Wait for gdb (gdb-multiarch: target remote :PORT) on 127.0.0.1:PORT before the first instruction; the schedule is unchanged" };

    public void AddTo(Command command)
    {
        Guest.AddTo(command, [Seed, Record, Replay, Stats, StatsJson, Trace, Gdb]);
        OptionRules.Require(Gdb, p => p is >= 1 and <= 65535, "is not a TCP port (1 to 65535)");
        command.Validators.Add(r =>
        {
            if (r.GetValue(Record) != null && r.GetValue(Replay) != null) r.AddError("--record and --replay cannot be used together");
        });
    }

    public RunSettings Read(ParseResult p) =>
        new(Guest.Read(p), p.GetValue(Seed), p.GetValue(Record), p.GetValue(Replay), p.GetValue(Stats), p.GetValue(StatsJson), p.GetValue(Trace),
            Guest.Recorded.Append(Seed).Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet(),
            p.GetValue(Gdb));
}
