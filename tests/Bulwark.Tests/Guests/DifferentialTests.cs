using Bulwark.Machine.Cpu;

namespace Bulwark.Tests.Guests;

/// <summary>Every guest program must print exactly what qemu-riscv64 printed and exit with the same status.</summary>
public sealed class DifferentialTests
{
    public static TheoryData<string, EngineKind> Cases() => Engines.Cross(GuestCase.Names().Where(n => n != "compute"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void GuestMatchesQemu(string name, EngineKind engine)
    {
        var guest = new GuestCase(name);
        var run = guest.Run(engine: engine);
        Assert.Equal(guest.ExpectedStatus, run.Status);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
        Assert.Equal(0, run.FramesInUseAtExit);
    }

    [Theory]
    [InlineData("pthreads", 1, EngineKind.Interpreter)]
    [InlineData("pthreads", 7, EngineKind.Interpreter)]
    [InlineData("atomics", 3, EngineKind.Interpreter)]
    [InlineData("fork_wait", 11, EngineKind.Interpreter)]
    [InlineData("locks_limits", 6, EngineKind.Interpreter)]
    [InlineData("pthreads", 1, EngineKind.Jit)]
    [InlineData("pthreads", 7, EngineKind.Jit)]
    [InlineData("atomics", 3, EngineKind.Jit)]
    [InlineData("fork_wait", 11, EngineKind.Jit)]
    [InlineData("locks_limits", 6, EngineKind.Jit)]
    public void ThreadedGuestsMatchQemuOnOtherSeedsAndHartCounts(string name, ulong seed, EngineKind engine)
    {
        var guest = new GuestCase(name);
        foreach (int harts in new[] { 1, 2, 4 })
        {
            var run = guest.Run(seed, harts, engine: engine);
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
