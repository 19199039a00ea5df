using Bulwark.Kernel;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Cli.Commands;

/// <summary>The run settings a schedule only makes sense with (seed, harts, protection, instruction
/// limit), stored in the schedule file so that `run --replay FILE PROGRAM` needs nothing else.</summary>
public static class RecordedSettings
{
    public static Dictionary<string, string> Of(ulong seed, int harts, UserMemoryProtection protection, long maxInstructions) => new()
    {
        ["seed"] = seed.ToString(),
        ["harts"] = harts.ToString(),
        ["protect"] = ProtectionNames.Name(protection),
        ["max-instructions"] = maxInstructions.ToString(),
    };

    /// <summary>Takes each recorded setting the command line did not give; one it gave differently is an error.</summary>
    public static RunSettings Apply(RunSettings s, ScheduleRecording replay, string file)
    {
        string Pick(string name, string current)
        {
            if (!replay.Settings.TryGetValue(name, out var recorded)) return current;
            if (s.ExplicitOptions.Contains("--" + name) && recorded != current)
                throw new ScheduleException($"--{name} {current} differs from the {name} {recorded} recorded in {file}");
            return recorded;
        }
        ulong seed = ParseOr(Pick("seed", s.Seed.ToString()), ulong.Parse, "seed", file);
        int harts = ParseOr(Pick("harts", s.Harts.ToString()), int.Parse, "harts", file);
        long limit = ParseOr(Pick("max-instructions", s.MaxInstructions.ToString()), long.Parse, "max-instructions", file);
        string protect = Pick("protect", ProtectionNames.Name(s.Protection));
        if (!ProtectionNames.IsValid(protect)) throw new ScheduleException($"{file}: unknown recorded protection '{protect}'");
        if (harts is < 1 or > 64) throw new ScheduleException($"{file}: recorded harts {harts} out of range");
        return s with { Seed = seed, Harts = harts, MaxInstructions = limit, Protection = ProtectionNames.Parse(protect) };
    }

    private static T ParseOr<T>(string text, Func<string, T> parse, string name, string file)
    {
        try { return parse(text); }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ScheduleException($"{file}: recorded {name} '{text}' is not a number");
        }
    }
}
