using System.CommandLine;
using System.CommandLine.Parsing;
using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Cli.Commands;

/// <summary>The guest and the machine it runs on: everything `run` and `explore` share, so that a run
/// `explore` found replays under `run` on the same machine.</summary>
public sealed record GuestSettings(
    string Program, string[] Arguments, int Harts, long MaxInstructions, ulong MemoryBytes, bool Strict,
    IReadOnlyList<(string Host, string Guest)> Mounts, IReadOnlyList<string> EnvSettings, bool ClearEnv,
    UserMemoryProtection Protection, bool DetectDoubleFetch, SharedProtectionMode SharedProtection, int SharedAddressBits, bool Throttling,
    EngineKind Engine = EngineKind.Jit, JitCompilation JitCompile = JitCompilation.Background)
{
    public IReadOnlyList<string> Environment => GuestEnvironment.Build(ClearEnv, EnvSettings);

    /// <summary>The kernel of one run of this guest; the caller adds streams and tracing.</summary>
    public KernelOptions Kernel(ulong seed, ISchedulingStrategy? strategy = null) => new()
    {
        Harts = Harts,
        Seed = seed,
        MemoryBytes = MemoryBytes,
        MaxInstructions = MaxInstructions,
        Strict = Strict,
        Protection = Protection,
        DetectDoubleFetch = DetectDoubleFetch,
        SharedProtection = SharedProtection,
        SharedAddressBits = SharedAddressBits,
        Throttling = Throttling,
        Mounts = Mounts,
        Environment = Environment,
        Strategy = strategy,
        Engine = Engine,
        JitCompile = JitCompile,
    };

    /// <summary>The options a schedule file does not record (see <see cref="RecordedSettings"/>), as a
    /// shell command line must repeat them for `run --replay` to rebuild the same machine.</summary>
    public IEnumerable<string> UnrecordedOptions()
    {
        if (MemoryBytes != GuestOptions.DefaultMemoryBytes) yield return "--memory " + Sizes.Format(MemoryBytes);
        if (Strict) yield return "--strict";
        if (Engine != EngineKind.Jit) yield return "--engine " + EngineNames.Name(Engine);
        if (Engine == EngineKind.Jit && JitCompile != JitCompilation.Background) yield return "--jit-compile " + EngineNames.Name(JitCompile);
        if (DetectDoubleFetch) yield return "--detect double-fetch";
        foreach (var (host, guest) in Mounts) yield return "--mount " + Shell.Quote($"{host}:{guest}");
        if (ClearEnv) yield return "--clear-env";
        foreach (string setting in EnvSettings) yield return "--env " + Shell.Quote(setting);
    }
}

/// <summary>The options that describe the guest and its machine, with their rules (see <see cref="GuestSettings"/>).</summary>
public sealed class GuestOptions(long? defaultInstructionLimit)
{
    public const ulong DefaultMemoryBytes = 1UL << 30;

    public readonly Argument<string> Program = new("program") { Description = "Static riscv64 ELF to run" };
    public readonly Argument<string[]> Arguments = new("args") { Description = "Arguments passed to the guest", Arity = ArgumentArity.ZeroOrMore };
    public readonly Option<int> Harts = new("--harts") { HelpName = "N", Description = "Simulated CPUs", DefaultValueFactory = _ => 4 };
    public readonly Option<long?> MaxInstructions = new("--max-instructions")
    {
        HelpName = "N",
        Description = defaultInstructionLimit is { } limit
            ? $"Per-run instruction limit (a run reaching it is inconclusive) [default: {limit:N0}]"
            : "Stop the run (status 124) after this many guest instructions [default: no limit]",
    };
    public readonly Option<string> Memory = new("--memory") { HelpName = "SIZE", Description = "Guest RAM limit, e.g. 256M or 2G", DefaultValueFactory = _ => "1G" };
    public readonly Option<string> Protect = new("--protect") { HelpName = "none|midas", Description = "User-memory protection: none or midas", DefaultValueFactory = _ => "none" };
    public readonly Option<string?> Detect = new("--detect") { HelpName = "double-fetch", Description = "Detection mode: double-fetch (logs double fetches on stderr, protects nothing)" };
    public readonly Option<string> MemoryProtection = new("--memory-protection") { HelpName = "MODE", Description = "What protects the shared segments (pwd.h): none, statistical, password, password-table or fallback", DefaultValueFactory = _ => "none" };
    public readonly Option<int> SharedAddressBits = new("--shared-address-bits") { HelpName = "N", Description = $"Statistical protection: address entropy of the aliases, {SharedLayout.MinAddressBits} to {SharedLayout.MaxAddressBits} bits", DefaultValueFactory = _ => SharedLayout.MaxAddressBits };
    public readonly Option<bool> NoThrottle = new("--no-throttle") { Description = "Count failed checks but impose no scheduling delay" };
    public readonly Option<bool> Strict = new("--strict") { Description = "Make an unimplemented syscall fatal instead of ENOSYS" };
    public readonly Option<string[]> Mount = new("--mount") { HelpName = "HOSTDIR[:GUESTDIR]", Description = "HOSTDIR[:GUESTDIR] copied in read-only (guest path defaults to the host's absolute path)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<string[]> Env = new("--env") { HelpName = "NAME=VALUE", Description = "NAME=VALUE added to the guest's environment or replacing a default (repeatable)" };
    public readonly Option<string> Engine = new("--engine") { HelpName = "interpreter|jit", Description = "What runs guest code: the interpreter, or jit (hot blocks compiled to .NET IL); results are the same", DefaultValueFactory = _ => "jit" };
    public readonly Option<string?> JitCompile = EngineNames.JitCompileOption();
    public readonly Option<bool> ClearEnv = new("--clear-env") { Description = "Start the guest's environment empty instead of with HOME, PATH, USER, LOGNAME and TERM" };

    /// <summary>The options a replayed schedule records; one given on the command line must agree with the file.</summary>
    public IEnumerable<Option> Recorded => [Harts, MaxInstructions, Protect, MemoryProtection, SharedAddressBits];

    /// <summary>Adds the program, its arguments and the guest options (after <paramref name="before"/>, so
    /// each command keeps its own options first in the help).</summary>
    public void AddTo(Command command, IEnumerable<Option> before)
    {
        command.Arguments.Add(Program);
        command.Arguments.Add(Arguments);
        foreach (var option in before.Concat([Harts, MaxInstructions, Memory, Protect, Detect, MemoryProtection, SharedAddressBits, NoThrottle, Strict, Mount, Env, ClearEnv, Engine, JitCompile]))
            command.Options.Add(option);
        OptionRules.Require(Harts, h => h is >= 1 and <= 64, "is not between 1 and 64");
        OptionRules.Require(MaxInstructions, n => n >= 1, "is not a positive number of instructions");
        OptionRules.Require(Memory, m => Sizes.TryParse(m, out ulong bytes) && bytes >= (4UL << 20), "is not a size from 4M to 64G (use K, M or G)");
        Env.Validators.Add(r =>
        {
            foreach (var e in r.GetValueOrDefault<string[]>() ?? []) if (!e.Contains('=')) r.AddError($"--env '{e}' is not NAME=VALUE");
        });
        OptionRules.Require(Engine, e => EngineNames.TryParse(e, out _), $"is not one of: {EngineNames.Choices}");
        EngineNames.RequireJitCompile(command, Engine, JitCompile);
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
            if (r.GetValue(Program) is { } program && program.StartsWith('-') && program.Length > 1)
                r.AddError($"unknown option '{program}' (bulwark's options go before the program, the guest's after it)");
        });
    }

    public GuestSettings Read(ParseResult p)
    {
        ulong memory = Sizes.Parse(p.GetValue(Memory)!);
        var mounts = (p.GetValue(Mount) ?? []).Select(m =>
        {
            int colon = m.IndexOf(':');
            string host = colon < 0 ? m : m[..colon];
            string guest = colon < 0 ? Path.GetFullPath(host) : m[(colon + 1)..];
            return (host, guest.TrimEnd('/').Length == 0 ? "/" : guest.TrimEnd('/'));
        }).ToList();
        return new GuestSettings(p.GetValue(Program)!, p.GetValue(Arguments) ?? [], p.GetValue(Harts),
            p.GetValue(MaxInstructions) ?? defaultInstructionLimit ?? long.MaxValue, memory, p.GetValue(Strict), mounts,
            p.GetValue(Env) ?? [], p.GetValue(ClearEnv), ProtectionNames.Parse(p.GetValue(Protect)), p.GetValue(Detect) == "double-fetch",
            SharedProtectionModes.TryParse(p.GetValue(MemoryProtection), out var mode) ? mode : SharedProtectionMode.None,
            p.GetValue(SharedAddressBits), !p.GetValue(NoThrottle), EngineNames.TryParse(p.GetValue(Engine), out var engine) ? engine : EngineKind.Jit,
            EngineNames.ParseCompile(p.GetValue(JitCompile)));
    }
}
