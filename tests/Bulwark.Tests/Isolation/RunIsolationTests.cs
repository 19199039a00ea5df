using System.Text.RegularExpressions;
using Bulwark.Cli.Commands;
using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Machine.Scheduling;
using Bulwark.Tests.Cli;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Isolation;

/// <summary>A run's output, status, instruction count and schedule are the same whether it is the first
/// kernel of a fresh process (`bulwark run`) or comes after many other runs in one process (as in
/// explore and eval).</summary>
public sealed partial class RunIsolationTests
{
    private const ulong Seed = 5;

    public static TheoryData<string> Guests => new() { "observable", "pthreads", "fork_wait", "atomics", "midas_shared_pages" };

    [Theory]
    [MemberData(nameof(Guests))]
    public void ARunAfterManyOthersInOneProcessEqualsTheFirstRunOfAFreshProcess(string name)
    {
        var guest = new GuestCase(name);
        string freshSchedule = Path.Combine(Path.GetTempPath(), $"bulwark-fresh-{Guid.NewGuid():N}.schedule");
        string laterSchedule = Path.Combine(Path.GetTempPath(), $"bulwark-later-{Guid.NewGuid():N}.schedule");
        // --clear-env: the in-process run starts with an empty environment, as the recorded qemu runs do.
        var fresh = CliProcess.Run(["run", "--clear-env", "--seed", Seed.ToString(), "--record", freshSchedule, "--stats",
            "--mount", guest.DataDirectory, guest.Elf, .. guest.Arguments]);

        RunManyOtherGuests();
        var recording = ScheduleRecording.Record(new RandomStrategy(Seed));
        var later = guest.Run(Seed, strategy: recording);
        recording.Save(laterSchedule, $"bulwark run of {Path.GetFileName(guest.Elf)}",
            RecordedSettings.Of(new GuestSettings(guest.Elf, [], Harts: 4, MaxInstructions: long.MaxValue, MemoryBytes: 1UL << 30, Strict: false, Mounts: [],
                EnvSettings: [], ClearEnv: true, UserMemoryProtection.None, DetectDoubleFetch: false, SharedProtectionMode.None, SharedLayout.MaxAddressBits, Throttling: true), Seed));

        Assert.Equal(fresh.ExitCode, later.Status);
        Assert.Equal(fresh.Stdout, later.StdoutText);
        Assert.Equal(later.Stats.Instructions, InstructionsIn(fresh.Stderr));
        Assert.Equal(File.ReadAllText(freshSchedule), File.ReadAllText(laterSchedule));
    }

    /// <summary>Every guest of the corpus, on two seeds, with and without Midas: the kind of history
    /// explore and eval leave behind in a process.</summary>
    private static void RunManyOtherGuests()
    {
        foreach (var other in GuestCase.Names().Where(n => n != "compute"))
            foreach (ulong seed in new ulong[] { 1, 2 })
                new GuestCase(other).Run(seed, protection: seed == 2 ? UserMemoryProtection.Midas : UserMemoryProtection.None);
        for (int i = 0; i < 30; i++) new GuestCase("observable").Run((ulong)i);
    }

    private static long InstructionsIn(string statsTable)
    {
        var match = InstructionsRow().Match(statsTable);
        Assert.True(match.Success, "no instructions row in --stats:\n" + statsTable);
        return long.Parse(match.Groups[1].Value.Replace(",", ""));
    }

    [GeneratedRegex(@"instructions\s+([\d,]+)")]
    private static partial Regex InstructionsRow();

    /// <summary>The failure of the issue's report: a guest that fails only when its file's inode number is
    /// above 40 never fails, however many schedules ran before in the process.</summary>
    [Fact]
    public void ExploreFindsNoFailureThatDependsOnEarlierRuns()
    {
        var guest = new GuestCase("observable");
        var outcome = new Bulwark.Lab.Exploration.Explorer(new Bulwark.Lab.Exploration.ExplorationSettings(
            guest.Elf, ["40"], Bulwark.Lab.Exploration.ExplorationStrategy.Random, Budget: 30)).Explore();
        Assert.False(outcome.Found, $"explore reported {outcome.Failure?.ExitStatus} at seed {outcome.FailingSeed}");
        Assert.Equal(30, outcome.SchedulesTried);
    }
}
