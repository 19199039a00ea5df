namespace Bulwark.Tests.Guests;

/// <summary>Waiting on files and signals (poll_wait, epoll_events, pause_suspend): the same output as qemu on
/// other seeds and hart counts, and a waiting thread costs no system calls while it waits.</summary>
public sealed class WaitingTests
{
    [Theory]
    [InlineData("poll_wait", 5)]
    [InlineData("epoll_events", 9)]
    [InlineData("pause_suspend", 2)]
    public void WaitersMatchQemuOnOtherSeedsAndHartCounts(string name, ulong seed)
    {
        var guest = new GuestCase(name);
        foreach (int harts in new[] { 1, 2 })
        {
            var run = guest.Run(seed, harts);
            Assert.True(guest.ExpectedStatus == run.Status, $"harts {harts}: status {run.Status}: {run.Message}");
            Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
        }
    }

    /// <summary>Before ppoll existed, glibc's pause() returned ENOSYS at once and idle threads spun in it
    /// (6 million calls in 400 million instructions). 50 parked threads now make one call each.</summary>
    [Fact]
    public void ThreadsParkedInPauseMakeNoCallsWhileTheyWait()
    {
        var run = new GuestCase("pause_suspend").Run();
        Assert.Equal(0, run.Status);
        Assert.True(run.Stats.Syscalls < 2000, $"{run.Stats.Syscalls} system calls");
        Assert.Empty(run.Stats.UnknownSyscalls);
    }
}
