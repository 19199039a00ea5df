using Bulwark.Kernel;
using Bulwark.Lab.Exploration;
using Bulwark.Machine.Scheduling;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Lab;

public sealed class ExplorerTests
{
    private static string Exploit => Path.Combine(GuestCase.RepositoryPath("lab", "doublefetch"), "size_check_exploit.elf");

    [Theory]
    [InlineData(ExplorationStrategy.Random)]
    [InlineData(ExplorationStrategy.Pct)]
    public void FindsTheExploitAndItsScheduleReplays(ExplorationStrategy strategy)
    {
        var settings = new ExplorationSettings(Exploit, [], strategy, Budget: 50);
        var outcome = new Explorer(settings).Explore();
        Assert.True(outcome.Found);
        Assert.True(outcome.Failure!.IsViolation);

        string file = Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}.schedule");
        outcome.FailingSchedule!.Save(file, "test");
        var replay = new Explorer(settings).RunOnce(ScheduleRecording.Replay(file), outcome.FailingSeed!.Value);
        Assert.Equal(outcome.Failure, replay);
    }

    [Fact]
    public void MidasSurvivesTenTimesTheBudgetTheAttackNeeded()
    {
        var unprotected = new Explorer(new ExplorationSettings(Exploit, [], ExplorationStrategy.Random, Budget: 50)).Explore();
        Assert.True(unprotected.Found);
        int budget = Math.Max(20, unprotected.SchedulesTried * 10);
        var protectedRun = new Explorer(new ExplorationSettings(Exploit, [], ExplorationStrategy.Random, budget, Protection: UserMemoryProtection.Midas)).Explore();
        Assert.False(protectedRun.Found, protectedRun.Failure?.Message);
        Assert.Equal(budget, protectedRun.SchedulesTried);
    }

    [Fact]
    public void ABenignProgramExploresClean()
    {
        string elf = Path.Combine(GuestCase.Directory, "pthreads.elf");
        var outcome = new Explorer(new ExplorationSettings(elf, [], ExplorationStrategy.Pct, Budget: 5)).Explore();
        Assert.False(outcome.Found, outcome.Failure?.Message);
        Assert.Equal(5, outcome.SchedulesTried);
    }

    /// <summary>Every schedule starts from one image of the program, read once; a guest that tries to
    /// overwrite its own executable (/proc/self/exe, which shows that image) must be refused, or the
    /// next schedule would run what the last one wrote.</summary>
    [Fact]
    public void ASchedulesAttemptToOverwriteItsProgramLeavesTheNextScheduleUnchanged()
    {
        string busybox = Path.Combine(GuestCase.RepositoryPath("tests", "guests", "real"), "busybox.elf");
        // Exit 4 if the program no longer starts with the ELF magic, 3 if the write went through.
        const string Script = "read -n 4 magic < /proc/self/exe; [ \"$magic\" = \"$(printf '\\177ELF')\" ] || exit 4; printf JUNK 1<> /proc/self/exe && exit 3; exit 0";
        var explorer = new Explorer(new ExplorationSettings(busybox, ["sh", "-c", Script], ExplorationStrategy.Random, Budget: 2, Harts: 1));
        for (ulong seed = 0; seed < 2; seed++)
        {
            var run = explorer.RunOnce(new RandomStrategy(seed), seed);
            Assert.True(run.ExitStatus == 0, $"schedule {seed}: exit {run.ExitStatus} {run.Message}");
        }
    }

    [Fact]
    public void PctSchedulesAreDeterministic()
    {
        var a = ScheduleRecording.Record(new PctStrategy(7, 2, 100));
        var b = ScheduleRecording.Record(new PctStrategy(7, 2, 100));
        var settings = new ExplorationSettings(Exploit, [], ExplorationStrategy.Pct, 1);
        var ra = new Explorer(settings).RunOnce(a, 7);
        var rb = new Explorer(settings).RunOnce(b, 7);
        Assert.Equal(ra, rb);
        Assert.Equal(a.Count, b.Count);
    }
}
