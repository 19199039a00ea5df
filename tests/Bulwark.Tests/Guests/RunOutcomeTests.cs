namespace Bulwark.Tests.Guests;

/// <summary>Outcomes that have no qemu oracle: Bulwark's own verdicts on a run.</summary>
public sealed class RunOutcomeTests
{
    [Fact]
    public void DeadlockIsReportedNotHung()
    {
        var run = new GuestCase("deadlock").Run();
        Assert.Equal(126, run.Status);
        Assert.Equal("waiting forever\n", run.StdoutText);
        Assert.Equal("deadlock: all 1 live threads are blocked and no timer is pending", run.Message);
    }

    [Fact]
    public void ExhaustedGuestMemoryKillsTheFirstProcessWithSigkill()
    {
        // As Linux's OOM killer: the process that needed the page dies of SIGKILL; here it is the only one, so the run
        // ends with 128+9 and says why.
        var guest = new GuestCase("malloc_heavy");
        var stdout = new MemoryStream();
        var kernel = new Bulwark.Kernel.KernelCore(new Bulwark.Kernel.KernelOptions { MemoryBytes = 4UL << 20, Stdout = stdout });
        var result = kernel.Run(guest.Elf, [guest.Elf]);
        Assert.Equal(137, result.ExitStatus);
        Assert.Contains("killed by SIGKILL (out of memory, --memory 4M)", result.Message);
    }

    [Fact]
    public void SharedMemoryIsFreedWhenItsLastMappingGoes()
    {
        // 3000 rounds of 64 KiB of shared memory: 190 MB if nothing were freed.
        var guest = new GuestCase("shm_churn");
        var stdout = new MemoryStream();
        var kernel = new Bulwark.Kernel.KernelCore(new Bulwark.Kernel.KernelOptions { MemoryBytes = 32UL << 20, Stdout = stdout });
        var result = kernel.Run(guest.Elf, [guest.Elf]);
        Assert.Equal(0, result.ExitStatus);
        Assert.Equal(guest.ExpectedStdout, stdout.ToArray());
        Assert.True(kernel.Stats.PeakGuestFrames < 1024, $"peak {kernel.Stats.PeakGuestFrames} frames");
    }

    [Fact]
    public void SleepAdvancesVirtualTimeNotHostTime()
    {
        var run = new GuestCase("sleep_time").Run();
        Assert.Equal("slept 1.5 s\n", run.StdoutText);
        // Without the sleep, a run this short would be well under a millisecond of virtual time.
        Assert.True(run.Stats.Instructions < 1_000_000, $"{run.Stats.Instructions} instructions");
        Assert.InRange(run.VirtualNs, 1_500_000_000UL, 1_510_000_000UL);
    }
}
