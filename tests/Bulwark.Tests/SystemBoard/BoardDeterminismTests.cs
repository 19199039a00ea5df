using Bulwark.Cli.Commands;
using Bulwark.Machine.Scheduling;
using Bulwark.Tests.Cli;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.SystemBoard;

/// <summary>The system board is as deterministic as the Linux platform: a seed fixes the hart interleaving,
/// interrupt times and device latencies, so the same seed gives the same bytes; a recorded schedule
/// replays; and a run is the same in a fresh process as after many other runs in one process.</summary>
public sealed class BoardDeterminismTests
{
    private static readonly S3kProject FourHarts = new("tutorial.05.rpc");

    [Fact]
    public void TheSameSeedGivesTheSameConsoleScheduleAndCounts()
    {
        var one = ScheduleRecording.Record(new RandomStrategy(11));
        var two = ScheduleRecording.Record(new RandomStrategy(11));
        var a = FourHarts.RunOnBoard(0.04, 11, one);
        var b = FourHarts.RunOnBoard(0.04, 11, two);
        Assert.True(one.Count > 100, $"four harts should need many decisions, made {one.Count}");
        Assert.Equal(a.Console, b.Console);
        Assert.Equal(a.Board.Machine.Harts.Select(h => h.InstructionsRetired), b.Board.Machine.Harts.Select(h => h.InstructionsRetired));
        Assert.Equal(a.Board.Scheduler!.Interrupts, b.Board.Scheduler!.Interrupts);
        string fa = Path.GetTempFileName(), fb = Path.GetTempFileName();
        one.Save(fa, "x");
        two.Save(fb, "x");
        Assert.Equal(File.ReadAllText(fa), File.ReadAllText(fb));
    }

    [Fact]
    public void DifferentSeedsInterleaveHartsDifferently()
    {
        var one = ScheduleRecording.Record(new RandomStrategy(1));
        var two = ScheduleRecording.Record(new RandomStrategy(2));
        var a = FourHarts.RunOnBoard(0.02, 1, one);
        var b = FourHarts.RunOnBoard(0.02, 2, two);
        Assert.NotEqual(a.Board.Machine.Harts.Select(h => h.InstructionsRetired), b.Board.Machine.Harts.Select(h => h.InstructionsRetired));
    }

    [Fact]
    public void ARecordedScheduleReplaysInAFreshProcess()
    {
        var project = new S3kProject("tutorial.03.mem-cap");
        string schedule = Path.Combine(Path.GetTempPath(), $"bulwark-board-{Guid.NewGuid():N}.schedule");
        string[] elfs = [.. project.Elfs];
        var recorded = CliProcess.Run(["system", "--harts", "4", "--seed", "9", "--max-time", "0.03", "--stats", "--record", schedule, .. elfs]);
        var replayed = CliProcess.Run(["system", "--harts", "4", "--max-time", "0.03", "--stats", "--replay", schedule, .. elfs]);
        Assert.Equal(124, recorded.ExitCode);
        Assert.Equal(recorded.ExitCode, replayed.ExitCode);
        Assert.Equal(recorded.Stdout, replayed.Stdout);
        Assert.Equal(Counts(recorded.Stderr), Counts(replayed.Stderr));
        Assert.Contains("@seed 9", File.ReadAllText(schedule));
        Assert.DoesNotContain("warning", replayed.Stderr);
        var otherProgram = CliProcess.Run(["system", "--replay", schedule, .. new S3kProject("tutorial.02.trap-handler").Elfs]);
        Assert.Equal(2, otherProgram.ExitCode);
        Assert.Contains("was recorded with kernel.elf app0.elf sha256:", otherProgram.Stderr);
    }

    /// <summary>The instruction and device counter lines of --stats (host time and MIPS vary, and so do the
    /// block engine's own counters: it compiles in the background, so what ran compiled depends on the host).</summary>
    private static string[] Counts(string stats) =>
        stats.Split('\n').Where(l => !l.TrimStart().StartsWith("jit:", StringComparison.Ordinal) &&
            (l.Contains("instructions") || l.Contains("hart ") || l.Contains("interrupts") || l.Contains("bytes"))).ToArray();

    [Fact]
    public void ARunAfterManyOthersInOneProcessEqualsAFreshProcess()
    {
        var project = new S3kProject("exercise");
        string[] elfs = [.. project.Elfs];
        var fresh = CliProcess.Run(["system", "--harts", "4", "--seed", "3", "--max-time", "0.06", "--disk", project.DiskPath!, .. elfs]);
        for (int i = 0; i < 5; i++) new S3kProject("tutorial.09.fs").RunOnBoard(0.06, (ulong)i);
        for (int i = 0; i < 3; i++) project.RunOnBoard(0.03, (ulong)i);
        var later = project.RunOnBoard(0.06, 3);
        Assert.Equal(fresh.ExitCode, later.Result.ExitStatus);
        Assert.Equal(fresh.Stdout, later.Console);
        Assert.Contains("2> started", later.Console);
    }
}
