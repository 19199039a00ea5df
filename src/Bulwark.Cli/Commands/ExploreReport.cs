using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Exploration;

namespace Bulwark.Cli.Commands;

/// <summary>The failing schedule an exploration found: its number j in the whole search (run with seed +
/// j), how the run ended, and the schedule file's text so a shard's JSON carries it to `bulwark merge`.</summary>
public sealed record ExploreFailure(int Schedule, ulong Seed, int ExitStatus, string? Message, string ScheduleFile, string Replay, string ScheduleText);

/// <summary>What `bulwark explore` reports, as text or as one JSON document; a shard's document carries
/// enough (the inconclusive schedules' numbers, its failure) for <see cref="ExploreMerge"/> to rebuild the
/// report of the whole search exactly.</summary>
public sealed record ExploreReport(
    string Program, string ProgramId, string[] Arguments, string[] GuestOptions,
    string Strategy, int Depth, string Protect, string MemoryProtection, int Harts, ulong Seed, int Budget, long MaxInstructions,
    string Shard, int SchedulesTried, int[] InconclusiveSchedules, double Seconds, ExploreFailure? Failure)
{
    // The counts follow from the schedules: a search stops at its one failure, if any.
    public int Violated => Failure != null ? 1 : 0;
    public int Inconclusive => InconclusiveSchedules.Length;
    public int Held => SchedulesTried - Inconclusive - Violated;

    public static string StrategyName(ExplorationSettings s) => s.Strategy.ToString().ToLowerInvariant();

    public static ExploreReport Of(ExplorationSettings s, GuestSettings guest, ExplorationOutcome outcome, string output)
    {
        string[] options = [.. guest.UnrecordedOptions()];
        ExploreFailure? failure = null;
        if (outcome.Failure is { } run)
        {
            string text = outcome.FailingSchedule!.ToText($"bulwark explore of {Path.GetFileName(s.Program)}, strategy {StrategyName(s)}",
                RecordedSettings.Of(guest, outcome.FailingSeed!.Value));
            failure = new ExploreFailure(outcome.FailingIndex!.Value, outcome.FailingSeed.Value, run.ExitStatus, run.Message, output,
                ReplayLine(output, options, s.Program, guest.Arguments), text);
        }
        return new ExploreReport(
            s.Program, ProgramIdentity.Of([s.Program]), guest.Arguments, options,
            StrategyName(s), s.Depth, ProtectionNames.Name(s.Protection), SharedProtectionModes.Name(guest.SharedProtection), s.Harts, s.Seed, s.Budget, s.MaxInstructionsPerRun,
            s.Shard.ToString(), outcome.SchedulesTried, [.. outcome.InconclusiveSchedules], outcome.Seconds, failure);
    }

    /// <summary>The command that replays a failure. Explored runs read an empty stdin; so must the replay.</summary>
    public static string ReplayLine(string scheduleFile, IEnumerable<string> guestOptions, string program, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { "bulwark run --replay", Shell.Quote(scheduleFile) }.Concat(guestOptions).Append(Shell.Quote(program))
            .Concat(arguments.Select(Shell.Quote)).Append("</dev/null"));

    public void Print(TextWriter o)
    {
        string part = Shard == "0/1" ? "" : $" in shard {Shard}";
        double rate = Seconds > 0 ? SchedulesTried / Seconds : 0;
        o.WriteLine($"schedules tried: {SchedulesTried} of {Budget}{part} ({rate:F1} schedules/s): {Held} held, {Violated} violated, {Inconclusive} inconclusive");
        if (Failure is not { } f)
        {
            string memory = MemoryProtection == "none" ? "" : $", memory-protection {MemoryProtection}";
            o.WriteLine($"outcome: clean: no violation and no failing exit in {SchedulesTried} schedules (strategy {Strategy}, protect {Protect}{memory})");
            return;
        }
        o.WriteLine($"outcome: FOUND at schedule {f.Schedule + 1} (seed {f.Seed}): exit {f.ExitStatus}{(f.Message != null ? ": " + f.Message : "")}");
        o.WriteLine($"schedule written to {f.ScheduleFile}; reproduce with:");
        o.WriteLine($"  {f.Replay}");
    }

    public void WriteJson(TextWriter o) => o.WriteLine(JsonSerializer.Serialize(this, Readable));

    // Shell text (the replay line's "</dev/null") stays as it is rather than \u003C.
    private static readonly JsonTypeInfo<ExploreReport> Readable = (JsonTypeInfo<ExploreReport>)
        new JsonSerializerOptions(ExploreJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }.GetTypeInfo(typeof(ExploreReport));

    /// <summary>Reads a document <see cref="WriteJson"/> wrote; anything else is an <see cref="MergeException"/>.</summary>
    public static ExploreReport Read(string path)
    {
        ExploreReport? report;
        try { report = JsonSerializer.Deserialize(File.ReadAllText(path), ExploreJson.Default.ExploreReport); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MergeException($"{path}: cannot read: {e.Message}"); }
        catch (JsonException) { throw new MergeException($"{path}: not an explore --json result"); }
        if (report is null || report.Program is null || report.Shard is null || report.InconclusiveSchedules is null
            || report.Held < 0)
            throw new MergeException($"{path}: not an explore --json result (its counts do not add up)");
        return report;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ExploreReport))]
internal sealed partial class ExploreJson : JsonSerializerContext;
