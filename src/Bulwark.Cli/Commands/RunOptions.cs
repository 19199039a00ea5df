using System.CommandLine;
using System.CommandLine.Parsing;
using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Passwords;

namespace Bulwark.Cli.Commands;

/// <summary>The options of `bulwark run`, parsed and validated.</summary>
public sealed record RunSettings(
    string Program, string[] Arguments, int Harts, ulong Seed, long MaxInstructions, ulong MemoryBytes,
    string? Record, string? Replay, bool Stats, bool Strict, IReadOnlyList<(string Host, string Guest)> Mounts,
    IReadOnlyList<string> Environment, bool Trace, UserMemoryProtection Protection, bool DetectDoubleFetch,
    IReadOnlySet<string> ExplicitOptions, int? GdbPort = null)
{
    /// <summary>What protects the shared part's segments, and how (issue 14).</summary>
    public SharedProtectionMode SharedProtection { get; init; }
    public int SharedAddressBits { get; init; } = SharedLayout.MaxAddressBits;
    public bool Throttling { get; init; } = true;
}

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
    public readonly Option<string> MemoryProtection = new("--memory-protection") { HelpName = "none|statistical|password|password-table|fallback", Description = "What protects the shared segments (pwd.h)", DefaultValueFactory = _ => "none" };
    public readonly Option<int> SharedAddressBits = new("--shared-address-bits") { HelpName = "N", Description = $"Statistical protection: address entropy of the aliases, {SharedLayout.MinAddressBits} to {SharedLayout.MaxAddressBits} bits", DefaultValueFactory = _ => SharedLayout.MaxAddressBits };
    public readonly Option<bool> NoThrottle = new("--no-throttle") { Description = "Count failed checks but impose no scheduling delay" };
    public readonly Option<bool> Trace = new("--trace-syscalls") { Description = "Print every system call and its result on stderr" };
    public readonly Option<bool> Strict = new("--strict") { Description = "Make an unimplemented syscall fatal instead of ENOSYS" };
    public readonly Option<string[]> Mount = new("--mount") { HelpName = "HOSTDIR[:GUESTDIR]", Description = "HOSTDIR[:GUESTDIR] copied in read-only (guest path defaults to the host's absolute path)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<int?> Gdb = new("--gdb") { HelpName = "PORT", Description = "Wait for gdb (gdb-multiarch: target remote :PORT) on 127.0.0.1:PORT before the first instruction; the schedule is unchanged" };
    public readonly Option<string[]> Env = new("--env") { HelpName = "NAME=VALUE", Description = "NAME=VALUE added to the guest's environment or replacing a default (repeatable)" };
    public readonly Option<bool> ClearEnv = new("--clear-env") { Description = "Start the guest's environment empty instead of with HOME, PATH, USER, LOGNAME and TERM" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Program);
        command.Arguments.Add(Arguments);
        foreach (var option in new Option[] { Harts, Seed, MaxInstructions, Memory, Record, Replay, Stats, Strict, Trace, Protect, Detect, MemoryProtection, SharedAddressBits, NoThrottle, Mount, Env, ClearEnv, Gdb })
            command.Options.Add(option);
        OptionRules.Require(Harts, h => h is >= 1 and <= 64, "is not between 1 and 64");
        OptionRules.Require(Gdb, p => p is >= 1 and <= 65535, "is not a TCP port (1 to 65535)");
        OptionRules.Require(MaxInstructions, n => n >= 1, "is not a positive number of instructions");
        OptionRules.Require(Memory, m => Sizes.TryParse(m, out ulong bytes) && bytes >= (4UL << 20), "is not a size from 4M to 64G (use K, M or G)");
        Env.Validators.Add(r =>
        {
            foreach (var e in r.GetValueOrDefault<string[]>() ?? []) if (!e.Contains('=')) r.AddError($"--env '{e}' is not NAME=VALUE");
        });
        OptionRules.Require(Protect, ProtectionNames.IsValid, $"is not one of: {ProtectionNames.Choices}");
        OptionRules.Require(Detect, d => d is null or "double-fetch", "is not one of: double-fetch");
        OptionRules.Require(MemoryProtection, m => SharedProtectionModes.TryParse(m, out _), $"is not one of: {SharedProtectionModes.Choices}");
        OptionRules.Require(SharedAddressBits, b => b is >= SharedLayout.MinAddressBits and <= SharedLayout.MaxAddressBits,
            $"is not between {SharedLayout.MinAddressBits} and {SharedLayout.MaxAddressBits}");
        command.Validators.Add(r =>
        {
            if (ProtectionNames.Parse(r.GetValue(Protect)) != UserMemoryProtection.None && r.GetValue(Detect) != null) r.AddError("--detect double-fetch protects nothing and cannot be combined with --protect midas");
            if (ProtectionNames.Parse(r.GetValue(Protect)) != UserMemoryProtection.None && r.GetValue(MemoryProtection) is not (null or "none"))
                r.AddError("--protect midas cannot be combined with a --memory-protection (Midas versions the segments' frames)");
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
            new Option[] { Harts, Seed, MaxInstructions, Protect, MemoryProtection, SharedAddressBits }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet(),
            p.GetValue(Gdb))
        {
            SharedProtection = SharedProtectionModes.TryParse(p.GetValue(MemoryProtection), out var mode) ? mode : SharedProtectionMode.None,
            SharedAddressBits = p.GetValue(SharedAddressBits),
            Throttling = !p.GetValue(NoThrottle),
        };
    }
}
