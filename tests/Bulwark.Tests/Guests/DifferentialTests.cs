namespace Bulwark.Tests.Guests;

/// <summary>Every guest program must print exactly what qemu-riscv64 printed and exit with the same status.</summary>
public sealed class DifferentialTests
{
    public static TheoryData<string> Cases() => new(GuestCase.Names().Where(n => n != "compute"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void GuestMatchesQemu(string name)
    {
        var guest = new GuestCase(name);
        var run = guest.Run();
        Assert.Equal(guest.ExpectedStatus, run.Status);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
        Assert.Equal(0, run.FramesInUseAtExit);
    }

    [Theory]
    [InlineData("pthreads", 1)]
    [InlineData("pthreads", 7)]
    [InlineData("atomics", 3)]
    [InlineData("fork_wait", 11)]
    [InlineData("locks_limits", 6)]
    public void ThreadedGuestsMatchQemuOnOtherSeedsAndHartCounts(string name, ulong seed)
    {
        var guest = new GuestCase(name);
        foreach (int harts in new[] { 1, 2, 4 })
        {
            var run = guest.Run(seed, harts);
            Assert.Equal(guest.ExpectedStatus, run.Status);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
        }
    }

    [Fact]
    public void SegfaultNamesSignalPcAndAddress()
    {
        var run = new GuestCase("segfault").Run();
        Assert.Equal(139, run.Status);
        Assert.Matches(@"killed by SIGSEGV \(store fault at address 0x[0-9a-f]+\) at pc=0x[0-9a-f]+", run.Message);
    }
}
