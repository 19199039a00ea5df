using Bulwark.Kernel;

namespace Bulwark.Tests.Guests;

/// <summary>AF_UNIX sockets (unix_sockets): qemu's output on other seeds and hart counts and under Midas, whose
/// write faults must not disturb bytes in flight between processes; and no network family.</summary>
public sealed class SocketTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(8, 2)]
    public void UnixSocketsMatchQemuOnOtherSeedsAndHartCounts(ulong seed, int harts)
    {
        var guest = new GuestCase("unix_sockets");
        var run = guest.Run(seed, harts);
        Assert.True(guest.ExpectedStatus == run.Status, run.Message);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
        Assert.Equal(0, run.FramesInUseAtExit);
    }

    [Fact]
    public void UnixSocketsMatchQemuUnderMidas()
    {
        var guest = new GuestCase("unix_sockets");
        var run = guest.Run(seed: 4, protection: UserMemoryProtection.Midas);
        Assert.True(guest.ExpectedStatus == run.Status, run.Message);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(guest.ExpectedStdout), run.StdoutText);
    }

    /// <summary>There is no host network: an Internet socket is refused as by a kernel built without it.</summary>
    [Fact]
    public void InternetSocketsAreNotSupported()
    {
        var guest = new GuestCase("unix_sockets");
        var run = GuestCase.RunElf(guest.Elf, [guest.Elf, "inet"], [], guest.Mounts);
        Assert.Equal(0, run.Status);
        Assert.Equal("AF_INET: EAFNOSUPPORT, AF_INET6: EAFNOSUPPORT\n", run.StdoutText);
    }
}
