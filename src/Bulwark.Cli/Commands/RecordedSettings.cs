using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Cli.Commands;

/// <summary>The run settings a schedule only makes sense with (seed, harts, protection, instruction
/// limit), stored in the schedule file so that `run --replay FILE PROGRAM` needs nothing else.</summary>
public static class RecordedSettings
{
    /// <summary>A run's settings, with the shared part's protection when it has one (passwords and
    /// aliases, drawn from the seed, and the throttle's delays shape the schedule).</summary>
    public static Dictionary<string, string> Of(GuestSettings g, ulong seed)
    {
        var settings = new Dictionary<string, string>
        {
            ["program"] = ProgramIdentity.Of([g.Program]),
            ["seed"] = seed.ToString(),
            ["harts"] = g.Harts.ToString(),
            ["protect"] = ProtectionNames.Name(g.Protection),
            ["max-instructions"] = g.MaxInstructions.ToString(),
        };
        if (g.SharedProtection != SharedProtectionMode.None)
        {
            settings["memory-protection"] = SharedProtectionModes.Name(g.SharedProtection);
            settings["shared-address-bits"] = g.SharedAddressBits.ToString();
            settings["throttle"] = g.Throttling ? "on" : "off";
        }
        return settings;
    }

    /// <summary>Takes each recorded setting the command line did not give; one it gave differently is an error.</summary>
    public static RunSettings Apply(RunSettings s, ScheduleRecording replay, string file)
    {
        var g = s.Guest;
        var recorded = new RecordedSettingsReader(replay, file, s.ExplicitOptions);
        recorded.RequireProgram([g.Program]);
        ulong seed = recorded.Number("seed", s.Seed);
        int harts = recorded.Number("harts", g.Harts);
        long limit = recorded.Number("max-instructions", g.MaxInstructions);
        string protect = recorded.Pick("protect", ProtectionNames.Name(g.Protection));
        if (!ProtectionNames.IsValid(protect)) throw new ScheduleException($"{file}: unknown recorded protection '{protect}'");
        if (harts is < 1 or > 64) throw new ScheduleException($"{file}: recorded harts {harts} out of range");
        string memory = recorded.Pick("memory-protection", SharedProtectionModes.Name(g.SharedProtection));
        if (!SharedProtectionModes.TryParse(memory, out var mode)) throw new ScheduleException($"{file}: unknown recorded memory protection '{memory}'");
        int bits = recorded.Number("shared-address-bits", g.SharedAddressBits);
        bool throttle = replay.Settings.TryGetValue("throttle", out var t) ? t == "on" : g.Throttling;
        return s with
        {
            Seed = seed,
            Guest = g with
            {
                Harts = harts,
                MaxInstructions = limit,
                Protection = ProtectionNames.Parse(protect),
                SharedProtection = mode,
                SharedAddressBits = bits,
                Throttling = throttle,
            },
        };
    }
}

/// <summary>The settings stored in a replayed schedule, each checked against the command line: a setting
/// the command line did not give is taken from the file; one it gave differently is an error.</summary>
public sealed class RecordedSettingsReader(ScheduleRecording replay, string file, IReadOnlySet<string> explicitOptions)
{
    public string Pick(string name, string current)
    {
        if (!replay.Settings.TryGetValue(name, out var recorded)) return current;
        if (explicitOptions.Contains("--" + name) && recorded != current)
            throw new ScheduleException($"--{name} {current} differs from the {name} {recorded} recorded in {file}");
        return recorded;
    }

    /// <summary>A schedule replays only against the program it was recorded with.</summary>
    public void RequireProgram(IReadOnlyList<string> paths)
    {
        if (!replay.Settings.TryGetValue("program", out var recorded)) return;
        string actual = ProgramIdentity.Of(paths);
        if (recorded != actual)
            throw new ScheduleException($"{file} was recorded with {recorded}, not {actual}");
    }

    public T Number<T>(string name, T current) where T : IParsable<T>
    {
        string text = Pick(name, current.ToString()!);
        if (!T.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw new ScheduleException($"{file}: recorded {name} '{text}' is not a number");
        return value;
    }
}

/// <summary>Names the programs a schedule belongs to: their file names and a hash of their bytes, so a
/// replay against another build of the program (or another program) is refused instead of diverging.</summary>
public static class ProgramIdentity
{
    public static string Of(IReadOnlyList<string> paths)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        foreach (var path in paths)
        {
            byte[] bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return $"{string.Join(' ', paths.Select(Path.GetFileName))} sha256:{Convert.ToHexStringLower(sha.Hash!)[..16]}";
    }
}
