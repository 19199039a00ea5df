using Bulwark.Kernel;
using Bulwark.Kernel.Protections;
using Bulwark.Kernel.Protections.Midas;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Protections;

/// <summary>Midas must stop double-fetch exploits and change nothing else a program can observe.</summary>
public sealed class MidasTests
{
    private static string Lab(string name) => Path.Combine(GuestCase.RepositoryPath("lab", "doublefetch"), name + ".elf");

    private static GuestRun RunLab(string name, ulong seed, UserMemoryProtection protection = UserMemoryProtection.None, bool detect = false) =>
        GuestCase.RunElf(Lab(name), [Lab(name)], [], [], seed, protection: protection, detectDoubleFetch: detect);

    public static TheoryData<string, ulong> ProgramsAndSeeds()
    {
        var data = new TheoryData<string, ulong>();
        foreach (var name in GuestCase.Names().Where(n => n != "compute"))
            foreach (ulong seed in new ulong[] { 0, 5 })
                data.Add(name, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(ProgramsAndSeeds))]
    public void ProgramsPrintExactlyWhatQemuPrintsUnderMidas(string name, ulong seed)
    {
        var guest = new GuestCase(name);
        var run = guest.Run(seed, protection: UserMemoryProtection.Midas);
        Assert.Equal(guest.ExpectedStatus, run.Status);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
        Assert.Equal(0, run.FramesInUseAtExit);
    }

    [Theory]
    [InlineData("midas_write_race")]
    [InlineData("midas_shared_pages")]
    [InlineData("midas_copy_to_user")]
    public void RacingWritesGetNewVersionsAndLoseNothing(string name)
    {
        // Each program checks its own invariant (no lost write, sharing survives, copy_to_user visible)
        // and prints it; the versions counter shows the races really hit protected pages.
        var guest = new GuestCase(name);
        long versions = 0;
        foreach (ulong seed in new ulong[] { 0, 1, 2, 3 })
        {
            var run = guest.Run(seed, protection: UserMemoryProtection.Midas);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
            Assert.Equal(0, run.Status);
            var stats = ((MidasProtection)run.Policy).Stats;
            Assert.True(stats.PagesProtected > 0);
            versions += stats.VersionsCreated;
        }
        Assert.True(versions > 0, $"{name}: no write ever hit a protected page in 4 seeds");
    }


    [Fact]
    public void SizeCheckExploitSucceedsWithoutProtectionAndFailsWithMidas()
    {
        int violations = 0;
        for (ulong seed = 0; seed < 8; seed++)
            if (RunLab("size_check_exploit", seed).Status == RunResult.ViolationStatus) violations++;
        Assert.True(violations > 0, "the exploit should win the race on some of 8 seeds without protection");
        long writeFaults = 0;
        for (ulong seed = 0; seed < 40; seed++)
        {
            var run = RunLab("size_check_exploit", seed, UserMemoryProtection.Midas);
            Assert.Equal(0, run.Status);
            writeFaults += ((MidasProtection)run.Policy).Stats.WriteFaults;
        }
        Assert.True(writeFaults > 0, "the racing writer should have hit protected pages");
    }

    [Theory]
    [InlineData("midas_write_race", UserMemoryProtection.Midas)]
    [InlineData("midas_shared_pages", UserMemoryProtection.Midas)]
    [InlineData("midas_copy_to_user", UserMemoryProtection.Midas)]
    [InlineData("pthreads", UserMemoryProtection.Midas)]
    [InlineData("fork_wait", UserMemoryProtection.None)]
    [InlineData("mmap_shared", UserMemoryProtection.None)]
    [InlineData("malloc_heavy", UserMemoryProtection.None)]
    public void EveryFrameIsFreeAgainWhenTheProgramHasExited(string name, UserMemoryProtection protection)
    {
        // Snapshots, old versions, shared memory, page tables: nothing may outlive the processes.
        var guest = new GuestCase(name);
        var kernel = new KernelCore(new KernelOptions
        {
            Protection = protection,
            Seed = 1,
            Mounts = [(guest.DataDirectory, guest.DataDirectory)],
            Stdin = new MemoryStream(guest.Stdin),
        });
        var result = kernel.Run(guest.Elf, [guest.Elf, .. guest.Arguments]);
        Assert.Equal(guest.ExpectedStatus, result.ExitStatus);
        Assert.Equal(0, kernel.Machine.Memory.FramesInUse);
    }

    /// <summary>futex is exempt: a waiter sleeping in FUTEX_WAIT must not hold its page write-protected,
    /// or every store to that page while it sleeps makes a new version. The guest's futex word shares a
    /// page with data the waker keeps writing; with the exemption no version is made (without it, 189).</summary>
    [Fact]
    public void AFutexWaiterDoesNotHoldItsPageProtectedWhileItSleeps()
    {
        var guest = new GuestCase("midas_futex_page");
        foreach (ulong seed in new ulong[] { 0, 1 })
        {
            var run = guest.Run(seed, protection: UserMemoryProtection.Midas);
            Assert.Equal(guest.ExpectedStdout, run.Stdout);
            Assert.Equal(0, ((MidasProtection)run.Policy).Stats.VersionsCreated);
        }
    }
}

/// <summary>An attack of a shape the lab's per-handler exploits do not have: the racing writer is another
/// process writing through its own mapping of a MAP_SHARED page. Midas must write-protect every mapping of
/// the frame, not only the caller's: the explorer finds the race without protection and none with Midas.</summary>
public sealed class MidasSharedMappingTests
{
    private static string Exploit => Path.Combine(GuestCase.RepositoryPath("lab", "doublefetch"), "size_check_fork_exploit.elf");

    [Fact]
    public void AForkedRacerThroughMapSharedIsFoundWithoutProtectionAndHeldByMidas()
    {
        var attack = new Bulwark.Lab.Exploration.Explorer(new Bulwark.Lab.Exploration.ExplorationSettings(
            Exploit, [], Bulwark.Lab.Exploration.ExplorationStrategy.Random, Budget: 50)).Explore();
        Assert.True(attack.Found, "the forked racer should win within 50 schedules without protection");
        Assert.Contains("handler DFB_SIZE_CHECK", attack.Failure!.Message);
        int budget = Math.Max(40, 10 * attack.SchedulesTried);
        var defended = new Bulwark.Lab.Exploration.Explorer(new Bulwark.Lab.Exploration.ExplorationSettings(
            Exploit, [], Bulwark.Lab.Exploration.ExplorationStrategy.Random, budget, Protection: UserMemoryProtection.Midas)).Explore();
        Assert.False(defended.Found, $"Midas let the forked racer through: {defended.Failure?.Message}");
        Assert.Equal(0, defended.Inconclusive);
    }
}
