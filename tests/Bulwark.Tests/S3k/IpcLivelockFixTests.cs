using Bulwark.S3k;
using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Processes;
using Bulwark.S3k.Syscalls;
using static Bulwark.Tests.S3k.S3kBench;

namespace Bulwark.Tests.S3k;

/// <summary>--fix-ipc-livelock (<see cref="IpcLivelockFix"/>): a server suspended in recv waits again when
/// resumed, unless its monitor changed what the wait depends on; without the option, s3k's livelock.</summary>
public sealed class IpcLivelockFixTests
{
    /// <summary>Process 1 serves channel 1 from its slot 0 and waits in recv; process 0 holds client socket 11.</summary>
    private static S3kBench WaitingServer(bool fix)
    {
        var b = new S3kBench(config: new S3kConfig { FixIpcLivelock = fix });
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Channel, 10, Cap.Socket(1, Ipc.NoYield, Ipc.CData, 0).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 10, 11, Cap.Socket(1, Ipc.NoYield, Ipc.CData, 42).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 10, 1, 0));
        b.P1[Reg.Pc] = 0x8002_0000;
        b.Running(b.P1);
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockRecv, 0, 5));
        Assert.Equal(ProcState.Waiting(1), b.P1.State);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonSuspend, Mon, 1));
        Assert.Equal(ProcState.Suspended, b.P1.State);
        Assert.Equal((ulong)Err.Suspended, b.P1[Reg.T0]);
        return b;
    }

    [Fact]
    public void WithoutTheFixTheResumedServerNoLongerWaitsAndEverySendFails()
    {
        var b = WaitingServer(fix: false);
        Assert.Null(b.Kernel.LivelockFix);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(0UL, b.P1.State);
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
    }

    [Fact]
    public void WithTheFixTheResumedServerWaitsAgainAndReceives()
    {
        var b = WaitingServer(fix: true);
        // While suspended it receives nothing.
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0, 0, 7));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(ProcState.Waiting(1), b.P1.State);
        Assert.Equal((ulong)Err.Timeout, b.P1[Reg.T0]);
        Assert.Equal(ulong.MaxValue, b.P1.Timeout);
        Assert.Equal(1, b.Kernel.LivelockFix!.Restored);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.SockSend, 11, 0, 0, 7));
        Assert.Equal(Err.Success, (Err)b.P1[Reg.T0]);
        Assert.Equal(42UL, b.P1[Reg.A0]);
        Assert.Equal(7UL, b.P1[Reg.A2]);
    }

    [Fact]
    public void AMonitorThatRedirectsTheServerKeepsS3ksBehaviour()
    {
        var b = WaitingServer(fix: true);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonRegWrite, Mon, 1, (ulong)Reg.Pc, 0x8002_0100));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(0UL, b.P1.State);
        Assert.Equal(0, b.Kernel.LivelockFix!.Restored);
    }

    [Fact]
    public void AServerWhoseSocketWasTakenDoesNotWaitAgain()
    {
        var b = WaitingServer(fix: true);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 1, 0, 0, 12));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(0UL, b.P1.State);
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
    }

    [Fact]
    public void AClientWaitingForAReplyIsNotRestored()
    {
        var b = new S3kBench(config: new S3kConfig { FixIpcLivelock = true });
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Channel, 10, Cap.Socket(1, Ipc.NoYield, Ipc.CData, 0).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 10, 11, Cap.Socket(1, Ipc.NoYield, Ipc.CData, 42).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 11, 1, 0));
        // Process 0 serves, process 1 calls it and waits for the reply.
        Assert.Equal(Err.Timeout, b.Call(b.P0, Sys.SockRecv, 10, 5));
        b.Running(b.P1);
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockSendRecv, 0, 5));
        Assert.Equal(ProcState.Waiting(1), b.P1.State);
        b.Running(b.P0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonSuspend, Mon, 1));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(0UL, b.P1.State);
        Assert.Equal((ulong)Err.Suspended, b.P1[Reg.T0]);
    }
}
