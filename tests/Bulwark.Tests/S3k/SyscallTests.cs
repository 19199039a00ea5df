using Bulwark.S3k;
using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Processes;
using Bulwark.S3k.Syscalls;
using static Bulwark.Tests.S3k.S3kBench;

namespace Bulwark.Tests.S3k;

/// <summary>System calls with valid and invalid arguments, as a process makes them: t0 in, error out.</summary>
public sealed class SyscallTests
{
    private const ulong RamBase = 0x8002_0000;

    [Fact]
    public void UnknownNumbersAreInvalidAndThePcMovesOn()
    {
        var b = new S3kBench();
        b.P0[Reg.Pc] = 0x8001_0100;
        Assert.Equal(Err.InvalidSyscall, b.Call(b.P0, 25));
        Assert.Equal(Err.InvalidSyscall, b.Call(b.P0, ulong.MaxValue));
        Assert.Equal(0x8001_0108UL, b.P0[Reg.Pc]);
        Assert.Same(b.P0, b.Next);
    }

    [Fact]
    public void AValidCallWhenTheTimeIsUpIsMadeAgainLater()
    {
        var b = new S3kBench();
        b.P0[Reg.Pc] = 0x8001_0100;
        b.Kernel.Preempt = _ => true;
        b.Call(b.P0, Sys.CapDelete, 3);
        Assert.Null(b.Next);
        Assert.Equal(0x8001_0100UL, b.P0[Reg.Pc]);
        Assert.Equal((ulong)Sys.CapDelete, b.P0[Reg.T0]);
        Assert.False(b.Cap(3).IsEmpty);
        // An invalid one is answered all the same.
        b.Running(b.P0);
        Assert.Equal(Err.InvalidIndex, b.Call(b.P0, Sys.CapDelete, 32));
    }

    [Fact]
    public void InfoRegistersSleepAndSync()
    {
        var b = new S3kBench();
        b.System.Board.Machine.Clock.AdvanceTo(12_345_600);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.GetInfo, 0));
        Assert.Equal(0UL, b.P0[Reg.A0]);
        b.Call(b.P0, Sys.GetInfo, 1);
        Assert.Equal(123_456UL, b.P0[Reg.A0]);
        b.Call(b.P0, Sys.GetInfo, 2);
        Assert.Equal(1_000_000_000UL, b.P0[Reg.A0]);
        b.Call(b.P0, Sys.GetInfo, 3);
        Assert.Equal(0UL, b.P0[Reg.A0]);

        Assert.Equal(Err.Success, b.Call(b.P0, Sys.RegWrite, (ulong)Reg.Tpc, 0x8001_0400));
        Assert.Equal(0x8001_0400UL, b.P0[Reg.Tpc]);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.RegRead, (ulong)Reg.Tpc));
        Assert.Equal(0x8001_0400UL, b.P0[Reg.A0]);
        Assert.Equal(Err.InvalidRegister, b.Call(b.P0, Sys.RegRead, 39));
        Assert.Equal(Err.InvalidRegister, b.Call(b.P0, Sys.RegWrite, 0x7fff_ffff, 1));
        // s3k checks the register as its reg_t, a C enum GCC makes an unsigned int: the low 32 bits of the
        // argument. -1 and 0x8000_0000 are past the registers (found by tests/s3k-programs/syscalls).
        Assert.Equal(Err.InvalidRegister, b.Call(b.P0, Sys.RegRead, ulong.MaxValue));
        Assert.Equal(Err.InvalidRegister, b.Call(b.P0, Sys.RegWrite, 0xffff_fffe, 1));
        Assert.Equal(Err.InvalidRegister, b.Call(b.P0, Sys.RegRead, 0x8000_0000));
        // A register beyond them whose low bits pass the check is undefined behaviour in s3k: this kernel stops.
        Assert.Throws<KernelFault>(() => b.Call(b.P0, Sys.RegRead, 0x1_0000_0000));
        // REG_WRITE to t0 wins over the SUCCESS written first.
        b.Running(b.P0);
        Assert.Equal((Err)77, b.Call(b.P0, Sys.RegWrite, (ulong)Reg.T0, 77));

        Assert.Equal(Err.Success, b.Call(b.P0, Sys.Sleep, 5000));
        Assert.Null(b.Next);
        Assert.Equal(5000UL, b.P0.Timeout);
        b.Running(b.P0);
        b.Call(b.P0, Sys.Sleep, 0);
        Assert.Equal(5000UL, b.P0.Timeout);
        b.Running(b.P0);
        // SYNC writes no t0; SYNC(1) gives the hart back with timeout 0, SYNC(0) goes on.
        Assert.Equal((Err)(int)Sys.Sync, b.Call(b.P0, Sys.Sync, 0));
        Assert.Same(b.P0, b.Next);
        Assert.Equal((Err)(int)Sys.Sync, b.Call(b.P0, Sys.Sync, 1));
        Assert.Null(b.Next);
        Assert.Equal(0UL, b.P0.Timeout);
    }

    [Fact]
    public void IndexesAreCheckedAsSixteenBitValues()
    {
        var b = new S3kBench();
        Assert.Equal(Err.InvalidIndex, b.Call(b.P0, Sys.CapRead, 32));
        Assert.Equal(Err.InvalidIndex, b.Call(b.P0, Sys.CapMove, 1, 32));
        Assert.Equal(Err.InvalidIndex, b.Call(b.P0, Sys.CapDerive, 32, 10, Cap.Monitor(0, 1).Raw));
        Assert.Equal(Err.InvalidIndex, b.Call(b.P0, Sys.SockSend, 9, 40));
        Assert.Equal(Err.InvalidIndex, b.Call(b.P0, Sys.MonCapMove, Mon, 1, 0, 1, 32));
        Assert.Equal(Err.InvalidPid, b.Call(b.P0, Sys.MonCapMove, Mon, 1, 0, 2, 0));
        Assert.Equal(Err.InvalidPid, b.Call(b.P0, Sys.MonSuspend, Mon, 2));
        Assert.Equal(Err.InvalidSlot, b.Call(b.P0, Sys.PmpLoad, 0, 8));
        Assert.Equal(Err.InvalidSlot, b.Call(b.P0, Sys.MonPmpLoad, Mon, 1, 0, 255));
        // 0x10005 passes as 5 and reaches the table whole: s3k's KASSERT in ctable_get.
        var fault = Assert.Throws<KernelAssertion>(() => b.Call(b.P0, Sys.CapRead, 0x1_0005));
        Assert.Equal("Kernel assertion failed at src/cap_table.c:39.", fault.Message);
        // The monitor calls pass the pid as a 16-bit value: 0x10001 is process 1.
        b.Running(b.P0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonStateGet, Mon, 0x1_0001));
        Assert.Equal(ProcState.Suspended, b.P0[Reg.A0]);
    }

    [Fact]
    public void CapabilityCallsOnEmptyAndOccupiedSlots()
    {
        var b = new S3kBench();
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.CapRead, 12));
        Assert.Equal(0UL, b.P0[Reg.A0]);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRead, Mon));
        Assert.Equal(Cap.Monitor(0, 2).Raw, b.P0[Reg.A0]);
        Assert.Equal(Err.SrcEmpty, b.Call(b.P0, Sys.CapMove, 12, 13));
        Assert.Equal(Err.DstOccupied, b.Call(b.P0, Sys.CapMove, 1, 2));
        Assert.Equal(Err.DstOccupied, b.Call(b.P0, Sys.CapMove, 1, 1));
        Assert.Equal(Err.SrcEmpty, b.Call(b.P0, Sys.CapDerive, 12, 13, Cap.Monitor(0, 1).Raw));
        Assert.Equal(Err.DstOccupied, b.Call(b.P0, Sys.CapDerive, Mon, 2, Cap.Monitor(0, 1).Raw));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.CapDelete, 12));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.CapRevoke, 12));
        // Validation first: an invalid word is INVALID_DERIVATION even from an empty slot.
        Assert.Equal(Err.InvalidDerivation, b.Call(b.P0, Sys.CapDerive, 12, 13, Cap.Monitor(1, 1).Raw));
        Assert.Equal(Err.InvalidDerivation, b.Call(b.P0, Sys.CapDerive, Mon, 13, Cap.Monitor(0, 3).Raw));
        Assert.Equal(Err.InvalidDerivation, b.Call(b.P0, Sys.CapDerive, Mtime, 13, Cap.Monitor(0, 1).Raw));
    }

    [Fact]
    public void PmpLoadAndUnload()
    {
        var b = new S3kBench();
        var pmp = Cap.Pmp(Cap.NapotEncode(RamBase, 0x1000), Rwx.R);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Ram, 10, pmp.Raw));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.PmpLoad, 11, 1));
        Assert.Equal(Err.InvalidPmp, b.Call(b.P0, Sys.PmpLoad, Ram, 1));
        Assert.Equal(Err.DstOccupied, b.Call(b.P0, Sys.PmpLoad, 10, 0));
        Assert.Equal(Err.InvalidPmp, b.Call(b.P0, Sys.PmpUnload, 10));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.PmpLoad, 10, 7));
        Assert.Equal(Err.InvalidPmp, b.Call(b.P0, Sys.PmpLoad, 10, 6));
        Assert.Equal(pmp.WithUsedSlot(true, 7), b.Cap(10));
        Assert.Equal(0x19, b.P0.PmpCfg[7]);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.PmpUnload, 10));
        Assert.Equal(0, b.P0.PmpCfg[7]);
        Assert.Equal(pmp, b.Cap(10));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.PmpUnload, 11));
    }

    [Fact]
    public void MonitorsGovernTheirUndelegatedPidsOfSuspendedProcesses()
    {
        var b = new S3kBench();
        // Not a monitor, or a pid the monitor gave away.
        Assert.Equal(Err.InvalidMonitor, b.Call(b.P0, Sys.MonSuspend, Channel, 1));
        Assert.Equal(Err.InvalidMonitor, b.Call(b.P0, Sys.MonSuspend, 20, 1));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Mon, 10, Cap.Monitor(1, 2).Raw));
        Assert.Equal(Err.InvalidMonitor, b.Call(b.P0, Sys.MonStateGet, Mon, 1));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonStateGet, 10, 1));
        Assert.Equal(Err.InvalidMonitor, b.Call(b.P0, Sys.MonStateGet, 10, 0));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Mon));

        // Registers of a suspended process; a running one (even itself) is INVALID_STATE.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonRegWrite, Mon, 1, (ulong)Reg.Pc, 0x8002_0000));
        Assert.Equal(0x8002_0000UL, b.P1[Reg.Pc]);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonRegRead, Mon, 1, (ulong)Reg.Pc));
        Assert.Equal(0x8002_0000UL, b.P0[Reg.A0]);
        Assert.Equal(Err.InvalidRegister, b.Call(b.P0, Sys.MonRegRead, Mon, 1, 39));
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.MonRegRead, Mon, 0, 0));
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.MonCapRead, Mon, 0, 1));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.MonCapRead, Mon, 1, 1));
        Assert.Equal(0UL, b.P0[Reg.A0]);
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.MonYield, Mon, 1));

        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(0UL, b.P1.State);
        Assert.Equal(0UL, b.P1.Timeout);
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.MonRegWrite, Mon, 1, (ulong)Reg.Pc, 0));
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.MonPmpLoad, Mon, 1, 0, 0));
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 1, 1, 1));
        // A move between two slots of the monitor's own process needs no suspended process.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 3, 0, 12));

        // MON_YIELD runs the target on the caller's time.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonYield, Mon, 1));
        Assert.Same(b.P1, b.Next);
        Assert.Equal(ProcState.Busy, b.P1.State);
        Assert.Equal(0UL, b.P0.State);

        // Suspending a running process lets it run on until it leaves the hart.
        b.Running(b.P0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonSuspend, Mon, 1));
        Assert.Equal(ProcState.Busy | ProcState.Suspended, b.P1.State);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonStateGet, Mon, 1));
        Assert.Equal(5UL, b.P0[Reg.A0]);
    }

    /// <summary>A server socket in process 1 and a client socket in process 0 on channel 1.</summary>
    private static S3kBench Sockets(byte mode, byte perm)
    {
        var b = new S3kBench();
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Channel, 10, Cap.Socket(1, mode, perm, 0).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 10, 11, Cap.Socket(1, mode, perm, 42).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 10, 1, 0));
        return b;
    }

    [Fact]
    public void SocketCallsOnOtherCapabilities()
    {
        var b = Sockets(Ipc.Yield, 0);
        Assert.Equal(Err.InvalidSocket, b.Call(b.P0, Sys.SockSend, Mon, 0));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.SockSend, 20, 0));
        Assert.Equal(Err.InvalidCapability, b.Call(b.P0, Sys.SockRecv, Mon, 20));
        Assert.Equal(Err.InvalidCapability, b.Call(b.P0, Sys.SockSendRecv, Mon, 20));
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
        // A client that did not call may not wait for a reply.
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.SockRecv, 11, 20));
        // Capabilities need CCAP (client) or SCAP (server).
        Assert.Equal(Err.InvalidSocket, b.Call(b.P0, Sys.SockSend, 11, 3, 1));
        Assert.Equal(Err.InvalidSocket, b.Call(b.P0, Sys.SockSendRecv, 11, 3, 1));
    }

    [Fact]
    public void NoYieldSendWakesTheServerInItsOwnTime()
    {
        var b = Sockets(Ipc.NoYield, Ipc.CData | Ipc.CCap);
        b.Running(b.P1);
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockRecv, 0, 5));
        Assert.Null(b.Next);
        Assert.Equal(ProcState.Waiting(1), b.P1.State);
        Assert.Equal(ulong.MaxValue, b.P1.Timeout);

        Assert.Equal(Err.Success, b.Call(b.P0, Sys.SockSend, 11, Mtime, 1, 10, 20, 30, 40));
        Assert.Same(b.P0, b.Next);
        Assert.Equal(0UL, b.P1.State);
        Assert.Equal(0UL, b.P1.Timeout);
        Assert.Equal([0UL, 42, Cap.Memory(0x200_b000, 0x200_c000, Rwx.R).Raw, 10, 20, 30, 40],
            new[] { Reg.T0, Reg.A0, Reg.A1, Reg.A2, Reg.A3, Reg.A4, Reg.A5 }.Select(r => b.P1[r]));
        Assert.True(b.Cap(Mtime).IsEmpty);
        Assert.Equal(Cap.Memory(0x200_b000, 0x200_c000, Rwx.R), b.Cap(5, pid: 1));
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
        // The server's buffer slot must be free to receive with CCAP.
        b.Running(b.P1);
        Assert.Equal(Err.DstOccupied, b.Call(b.P1, Sys.SockRecv, 0, 5));
    }

    [Fact]
    public void YieldSendGivesTheServerTheClientsTimeIfItHasTheServiceTime()
    {
        var b = Sockets(Ipc.Yield, Ipc.CData);
        b.P1[Reg.ServTime] = 1000;
        b.Running(b.P1);
        b.Call(b.P1, Sys.SockRecv, 0, 5);
        b.Kernel.Timer.SetTimeout(0, 500);
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
        b.Kernel.Timer.SetTimeout(0, 1001);
        b.P0.Timeout = 1001;
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.SockSend, 11, 0, 0, 7));
        Assert.Same(b.P1, b.Next);
        Assert.Equal(ProcState.Busy, b.P1.State);
        Assert.Equal(1001UL, b.P1.Timeout);
        Assert.Equal(7UL, b.P1[Reg.A2]);
        // Past the caller's deadline the send is PREEMPTED.
        b.Running(b.P0);
        b.System.Board.Machine.Clock.AdvanceTo(1001 * 100);
        Assert.Equal(Err.Preempted, b.Call(b.P0, Sys.SockSend, 11, 0));
    }

    [Fact]
    public void CallAndReplyWithCapabilitiesAndTimeouts()
    {
        var b = Sockets(Ipc.NoYield, Ipc.CData | Ipc.SData | Ipc.SCap);
        b.Running(b.P1);
        b.Call(b.P1, Sys.SockRecv, 0, 5);
        // The client calls: its message goes, then it waits for the reply in slot 14.
        Assert.Equal(Err.Timeout, b.Call(b.P0, Sys.SockSendRecv, 11, 14, 0, 1, 2, 3, 4));
        Assert.Null(b.Next);
        Assert.Equal(ProcState.Waiting(1), b.P0.State);
        Assert.Equal(ulong.MaxValue, b.P0.Timeout);
        Assert.Equal(0UL, b.P1.State);
        // The server replies with a capability (SCAP) and waits again.
        // Give process 1 a capability to send: the monitor moves the boot UART memory into its slot 7.
        b.P1.State = ProcState.Suspended;
        Assert.Equal(ProcState.Waiting(1), b.P0.State);
        b.Running(b.P0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, Uart, 1, 7));
        b.P0.State = ProcState.Waiting(1);
        b.Running(b.P1);
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockSendRecv, 0, 7, 1, 99));
        Assert.Equal(0UL, b.P0.State);
        Assert.Equal(99UL, b.P0[Reg.A2]);
        Assert.Equal(0UL, b.P0[Reg.A0]);
        Assert.Equal(Cap.Memory(0x1000_0000, 0x1000_1000, Rwx.Rw), b.Cap(14));
        Assert.Equal(ProcState.Waiting(1), b.P1.State);

        // A reply nobody waits for is lost; a capability it carried is deleted.
        b.Running(b.P0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, Mtime, 0, 15));
        b.P1.State = ProcState.Suspended;
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 15, 1, 8));
        b.Running(b.P1);
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockSendRecv, 0, 8, 1));
        Assert.True(b.Cap(8, pid: 1).IsEmpty);
    }

    [Fact]
    public void ASuspendedReceiverLosesItsWaitAndTheServerStaysRegistered()
    {
        var b = Sockets(Ipc.NoYield, Ipc.CData);
        b.Running(b.P1);
        b.Call(b.P1, Sys.SockRecv, 0, 5);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonSuspend, Mon, 1));
        Assert.Equal(ProcState.Suspended, b.P1.State);
        Assert.Equal((ulong)Err.Suspended, b.P1[Reg.T0]);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(0UL, b.P1.State);
        // The channel still names the server, which no longer waits: the livelock of the reference note.
        Assert.Same(b.P1, b.Kernel.Channels.Server(1));
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
    }

    [Fact]
    public void DeletingTheServerSocketForgetsTheChannel()
    {
        var b = Sockets(Ipc.NoYield, Ipc.CData);
        b.Running(b.P1);
        b.Call(b.P1, Sys.SockRecv, 0, 5);
        b.Running(b.P0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Channel));
        Assert.Null(b.Kernel.Channels.Server(1));
        Assert.True(b.Cap(0, pid: 1).IsEmpty);
        Assert.True(b.Cap(11).IsEmpty);
    }
    [Fact]
    public void AMonitorUnloadsThePmpOfASuspendedProcessOnly()
    {
        var b = new S3kBench();
        // Process 1 (suspended at boot) gets a PMP capability, loaded in its slot 2 by the monitor.
        var pmp = Cap.Pmp(Cap.NapotEncode(RamBase, 0x1000), Rwx.R);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Ram, 10, pmp.Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 10, 1, 3));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonPmpLoad, Mon, 1, 3, 2));
        Assert.Equal(0x19, b.P1.PmpCfg[2]);
        Assert.Equal(Err.InvalidMonitor, b.Call(b.P0, Sys.MonPmpUnload, Channel, 1, 3));
        Assert.Equal(0x19, b.P1.PmpCfg[2]);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonPmpUnload, Mon, 1, 3));
        Assert.Equal(0, b.P1.PmpCfg[2]);
        Assert.Equal(pmp, b.Cap(3, pid: 1));
        Assert.Equal(Err.InvalidPmp, b.Call(b.P0, Sys.MonPmpUnload, Mon, 1, 3));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.MonPmpUnload, Mon, 1, 20));
        // Loaded again, then out of the monitor's reach once process 1 may run.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonPmpLoad, Mon, 1, 3, 2));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(Err.InvalidState, b.Call(b.P0, Sys.MonPmpUnload, Mon, 1, 3));
        Assert.Equal(0x19, b.P1.PmpCfg[2]);
        Assert.True(b.Cap(3, pid: 1).Used);
    }
    [Fact]
    public void DeletingAClientSocketForgetsOnlyItsOwnWaitForAReply()
    {
        var b = new S3kBench();
        // Channel 1: the server socket in process 1's slot 0, client 42 in process 0's slot 11, client 43 in process 1's slot 1.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Channel, 10, Cap.Socket(1, Ipc.NoYield, Ipc.CData, 0).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 10, 11, Cap.Socket(1, Ipc.NoYield, Ipc.CData, 42).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 10, 12, Cap.Socket(1, Ipc.NoYield, Ipc.CData, 43).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 12, 1, 1));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 10, 1, 0));
        b.Running(b.P1);
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockRecv, 0, 5));
        Assert.Equal(Err.Timeout, b.Call(b.P0, Sys.SockSendRecv, 11, 14, 0, 1));
        Assert.Same(b.P0, b.Kernel.Channels.Client(1));
        Assert.Same(b.P1, b.Kernel.Channels.Server(1));
        // Another client's socket goes: process 0 still waits for its reply.
        b.Running(b.P1);
        Assert.Equal(Err.Success, b.Call(b.P1, Sys.CapDelete, 1));
        Assert.Same(b.P0, b.Kernel.Channels.Client(1));
        // The waiting client's own socket goes: the channel forgets it, and only it.
        b.Running(b.P0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDelete, 11));
        Assert.Null(b.Kernel.Channels.Client(1));
        Assert.Same(b.P1, b.Kernel.Channels.Server(1));
    }
    [Fact]
    public void SocketPermissionsDecideWhoMaySendCapabilitiesAndWhoseBufferMustBeFree()
    {
        // A server with CCAP but not SCAP may not send a capability, by SEND or by its reply-and-receive.
        var b = Sockets(Ipc.NoYield, Ipc.CData | Ipc.CCap);
        b.Running(b.P1);
        Assert.Equal(Err.InvalidSocket, b.Call(b.P1, Sys.SockSend, 0, 1, 1));
        Assert.Equal(Err.InvalidSocket, b.Call(b.P1, Sys.SockSendRecv, 0, 1, 1));
        // With CCAP the server's buffer slot must be free to reply-and-receive without sending one.
        b.P1.State = ProcState.Suspended;
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, Mtime, 1, 6));
        b.Running(b.P1);
        Assert.Equal(Err.DstOccupied, b.Call(b.P1, Sys.SockSendRecv, 0, 6, 0));
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockSendRecv, 0, 7, 0));

        // Without CCAP an occupied buffer slot is no obstacle to receiving.
        var c = Sockets(Ipc.NoYield, Ipc.CData | Ipc.SData);
        Assert.Equal(Err.Success, c.Call(c.P0, Sys.MonCapMove, Mon, 0, Mtime, 1, 6));
        c.Running(c.P1);
        Assert.Equal(Err.Timeout, c.Call(c.P1, Sys.SockRecv, 0, 6));
        Assert.Equal(ProcState.Waiting(1), c.P1.State);
        // A client with SCAP calls only with a free reply slot, unless it sends a capability.
        var d = Sockets(Ipc.NoYield, Ipc.CData | Ipc.SCap);
        d.Running(d.P1);
        d.Call(d.P1, Sys.SockRecv, 0, 5);
        Assert.Equal(Err.DstOccupied, d.Call(d.P0, Sys.SockSendRecv, 11, Mtime, 0));
        Assert.Equal(ProcState.Waiting(1), d.P1.State);
    }

    [Fact]
    public void AClientCallWithNoServerWaitingFailsAndDoesNotWait()
    {
        var b = Sockets(Ipc.NoYield, Ipc.CData);
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSendRecv, 11, 14, 0, 1));
        Assert.Same(b.P0, b.Next);
        Assert.Equal(ProcState.Busy, b.P0.State);
        Assert.Null(b.Kernel.Channels.Client(1));
    }

    [Fact]
    public void AYieldSendNeedsStrictlyMoreThanTheServiceTimeLeft()
    {
        var b = Sockets(Ipc.Yield, Ipc.CData);
        b.P1[Reg.ServTime] = 1000;
        b.Running(b.P1);
        b.Call(b.P1, Sys.SockRecv, 0, 5);
        ulong now = b.Kernel.Timer.Time;
        b.Kernel.Timer.SetTimeout(0, now + 1000);
        Assert.Equal(Err.NoReceiver, b.Call(b.P0, Sys.SockSend, 11, 0));
        b.Running(b.P0);
        b.Kernel.Timer.SetTimeout(0, now + 1001);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.SockSend, 11, 0));
        Assert.Equal(1, b.Kernel.Trace.IpcMessages);
    }

    [Fact]
    public void AMessageCanDeliverACapabilityIntoSlotZeroAndCountsIt()
    {
        var b = new S3kBench();
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Channel, 10, Cap.Socket(1, Ipc.NoYield, Ipc.CData | Ipc.CCap, 0).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 10, 11, Cap.Socket(1, Ipc.NoYield, Ipc.CData | Ipc.CCap, 42).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 10, 1, 1));
        b.Running(b.P1);
        Assert.Equal(Err.Timeout, b.Call(b.P1, Sys.SockRecv, 1, 0));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.SockSend, 11, Mtime, 1));
        Assert.Equal(Cap.Memory(0x200_b000, 0x200_c000, Rwx.R), b.Cap(0, pid: 1));
        Assert.True(b.Cap(Mtime).IsEmpty);
        Assert.Equal(1, b.Kernel.Trace.IpcMessages);
        Assert.Equal(1, b.Kernel.Trace.IpcCapabilities);
    }

    [Fact]
    public void AMonitorCoversPidsBelowItsEndOnlyAndResumesARunnableProcess()
    {
        var b = new S3kBench();
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Mon, 10, Cap.Monitor(0, 1).Raw));
        Assert.Equal(Err.InvalidMonitor, b.Call(b.P0, Sys.MonStateGet, 10, 1));
        Assert.Equal(Err.InvalidMonitor, b.Call(b.P0, Sys.MonResume, 10, 1));
        // Resuming a process that is not suspended is allowed and leaves it as it is.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonResume, Mon, 1));
        Assert.Equal(0UL, b.P1.State);
    }
}
