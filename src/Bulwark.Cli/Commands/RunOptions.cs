using System.CommandLine;
using System.CommandLine.Parsing;
using Bulwark.Kernel;

namespace Bulwark.Cli.Commands;

/// <summary>The options of `bulwark run`, parsed and validated.</summary>
public sealed record RunSettings(
    string Program, string[] Arguments, int Harts, ulong Seed, long MaxInstructions, ulong MemoryBytes,
    string? Record, string? Replay, bool Stats, bool Strict, IReadOnlyList<(string Host, string Guest)> Mounts,
    IReadOnlyList<string> Environment, bool Trace, UserMemoryProtection Protection, bool DetectDoubleFetch,
    IReadOnlySet<string> ExplicitOptions);

public sealed class RunOptions
{
    public readonly Argument<string> Program = new("program") { Description = "Static riscv64 ELF to run" };
    public readonly Argument<string[]> Arguments = new("args") { Description = "Arguments passed to the guest", Arity = ArgumentArity.ZeroOrMore };
    public readonly Option<int> Harts = new("--harts") { HelpName = "N", Description = "Simulated CPUs", DefaultValueFactory = _ => 4 };
    public readonly Option<ulong> Seed = new("--seed") { HelpName = "S", Description = "Seed of the scheduler and of all guest-visible randomness", DefaultValueFactory = _ => 0 };
    public readonly Option<long?> MaxInstructions = new("--max-instructions") { HelpName = "N", Description = "Stop the run (status 124) after this many guest instructions [default: no limit]" };
    public readonly Option<string> Memory = new("--memory") { HelpName = "SIZE", Description = "Guest RAM limit, e.g. 256M or 2G", DefaultValueFactory = _ => "1G" };
    public readonly Option<string?> Record = new("--record") { HelpName = "FILE", Description = "Write the schedule's decisions to FILE" };
    public readonly Option<string?> Replay = new("--replay") { HelpName = "FILE", Description = "Replay the schedule recorded in FILE (with the seed, harts and protection stored in it)" };
    public readonly Option<bool> Stats = new("--stats") { Description = "Print instructions, syscalls, page faults and MIPS on stderr at exit" };
    public readonly Option<string> Protect = new("--protect") { HelpName = "none|midas", Description = "User-memory protection: none or midas", DefaultValueFactory = _ => "none" };
    public readonly Option<string?> Detect = new("--detect") { HelpName = "double-fetch", Description = "Detection mode: double-fetch (logs double fetches on stderr, protects nothing)" };
    public readonly Option<bool> Trace = new("--trace-syscalls") { Description = "Print every system call and its result on stderr" };
    public readonly Option<bool> Strict = new("--strict") { Description = "Make an unimplemented syscall fatal instead of ENOSYS" };
    public readonly Option<string[]> Mount = new("--mount") { HelpName = "HOSTDIR[:GUESTDIR]", Description = "HOSTDIR[:GUESTDIR] copied in read-only (guest path defaults to the host's absolute path)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<string[]> Env = new("--env") { HelpName = "NAME=VALUE", Description = "NAME=VALUE added to the guest's environment or replacing a default (repeatable)" };
    public readonly Option<bool> ClearEnv = new("--clear-env") { Description = "Start the guest's environment empty instead of with HOME, PATH, USER, LOGNAME and TERM" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Program);
        command.Arguments.Add(Arguments);
        foreach (var option in new Option[] { Harts, Seed, MaxInstructions, Memory, Record, Replay, Stats, Strict, Trace, Protect, Detect, Mount, Env, ClearEnv })
            command.Options.Add(option);
        OptionRules.Require(Harts, h => h is >= 1 and <= 64, "is not between 1 and 64");
        OptionRules.Require(MaxInstructions, n => n >= 1, "is not a positive number of instructions");
        OptionRules.Require(Memory, m => Sizes.TryParse(m, out ulong bytes) && bytes >= (4UL << 20), "is not a size of at least 4M (use K, M or G)");
        Env.Validators.Add(r =>
        {
            foreach (var e in r.GetValueOrDefault<string[]>() ?? []) if (!e.Contains('=')) r.AddError($"--env '{e}' is not NAME=VALUE");
        });
        OptionRules.Require(Protect, ProtectionNames.IsValid, $"is not one of: {ProtectionNames.Choices}");
        OptionRules.Require(Detect, d => d is null or "double-fetch", "is not one of: double-fetch");
        command.Validators.Add(r =>
        {
            if (ProtectionNames.Parse(r.GetValue(Protect)) != UserMemoryProtection.None && r.GetValue(Detect) != null) r.AddError("--detect double-fetch protects nothing and cannot be combined with --protect midas");
            if (r.GetValue(Record) != null && r.GetValue(Replay) != null) r.AddError("--record and --replay cannot be used together");
            if (r.GetValue(Program) is { } program && program.StartsWith('-') && program.Length > 1)
                r.AddError($"unknown option '{program}' (bulwark's options go before the program, the guest's after it)");
        });
    }

    public RunSettings Read(ParseResult p)
    {
        Sizes.TryParse(p.GetValue(Memory)!, out ulong memory);
        var mounts = (p.GetValue(Mount) ?? []).Select(m =>
        {
            int colon = m.IndexOf(':');
            string host = colon < 0 ? m : m[..colon];
            string guest = colon < 0 ? Path.GetFullPath(host) : m[(colon + 1)..];
            return (host, guest.TrimEnd('/').Length == 0 ? "/" : guest.TrimEnd('/'));
        }).ToList();
        return new RunSettings(p.GetValue(Program)!, p.GetValue(Arguments) ?? [], p.GetValue(Harts), p.GetValue(Seed),
            p.GetValue(MaxInstructions) ?? long.MaxValue, memory, p.GetValue(Record), p.GetValue(Replay), p.GetValue(Stats), p.GetValue(Strict),
            mounts, GuestEnvironment.Build(p.GetValue(ClearEnv), p.GetValue(Env) ?? []), p.GetValue(Trace),
            ProtectionNames.Parse(p.GetValue(Protect)), p.GetValue(Detect) == "double-fetch",
            new Option[] { Harts, Seed, MaxInstructions, Protect }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet());
    }
}
