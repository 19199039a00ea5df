using Bulwark.Machine.Scheduling;

namespace Bulwark.Tests.Guests;

/// <summary>The same seed gives the same interleaving; a recorded schedule replays exactly.</summary>
public sealed class DeterminismTests
{
    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}.schedule");

    [Theory]
    [InlineData("pthreads")]
    [InlineData("atomics")]
    public void SameSeedGivesIdenticalScheduleAndOutput(string name)
    {
        var guest = new GuestCase(name);
        string a = TempFile(), b = TempFile();
        var first = ScheduleRecording.Record(new RandomStrategy(42));
        var second = ScheduleRecording.Record(new RandomStrategy(42));
        var runA = guest.Run(42, strategy: first);
        var runB = guest.Run(42, strategy: second);
        first.Save(a, "a");
        second.Save(b, "a");
        Assert.True(first.Count > 100, $"a multithreaded run should make many scheduling decisions, made {first.Count}");
        Assert.True(runA.Stats.KernelPreemptions > 0, "system calls should have been preempted at user accesses");
        Assert.Equal(runA.Stats.KernelPreemptions, runB.Stats.KernelPreemptions);
        Assert.Equal(runA.Stdout, runB.Stdout);
        Assert.Equal(runA.Stats.Instructions, runB.Stats.Instructions);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void DifferentSeedsGiveDifferentSchedules()
    {
        var guest = new GuestCase("pthreads");
        var one = ScheduleRecording.Record(new RandomStrategy(1));
        var two = ScheduleRecording.Record(new RandomStrategy(2));
        var runOne = guest.Run(1, strategy: one);
        var runTwo = guest.Run(2, strategy: two);
        string a = TempFile(), b = TempFile();
        one.Save(a, "x");
        two.Save(b, "x");
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.Equal(runOne.Stdout, runTwo.Stdout);
    }

    [Fact]
    public void ReplayReproducesTheRecordedRun()
    {
        var guest = new GuestCase("pthreads");
        string file = TempFile();
        var recording = ScheduleRecording.Record(new RandomStrategy(9));
        var recorded = guest.Run(9, strategy: recording);
        recording.Save(file, "replay test");
        var replay = ScheduleRecording.Replay(file);
        // A different seed proves the interleaving comes from the file, not the seed.
        var replayed = guest.Run(9, strategy: replay);
        Assert.True(replay.Exhausted);
        Assert.Equal(recorded.Stdout, replayed.Stdout);
        Assert.Equal(recorded.Stats.Instructions, replayed.Stats.Instructions);
        Assert.Equal(recorded.Stats.ContextSwitches, replayed.Stats.ContextSwitches);
    }

    [Fact]
    public void ReplayOfAnotherProgramReportsDivergence()
    {
        string file = TempFile();
        var recording = ScheduleRecording.Record(new RandomStrategy(3));
        new GuestCase("atomics").Run(3, strategy: recording);
        recording.Save(file, "atomics");
        var run = new GuestCase("pthreads").Run(3, strategy: ScheduleRecording.Replay(file));
        Assert.NotNull(run.Message);
        Assert.Matches("replay (diverged|ran out)", run.Message);
    }
}
