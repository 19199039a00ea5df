using Bulwark.S3k;
using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Processes;
using Bulwark.S3k.Syscalls;
using static Bulwark.Tests.S3k.S3kBench;

namespace Bulwark.Tests.S3k;

/// <summary>The derivation list, revoke, delete and move on a booted kernel, through system calls.</summary>
public sealed class CapCoreTests
{
    private const ulong RamBase = 0x8002_0000;

    [Fact]
    public void BootCapabilitiesAreEachInsertedAfterSlotZero()
    {
        Assert.Equal("0:0 0:9 0:8 0:4 0:3 0:2 0:1", new S3kBench(1).List());
        Assert.Equal("0:0 0:9 0:8 0:7 0:6 0:5 0:4 0:3 0:2 0:1", new S3kBench(4).List());
        var b = new S3kBench(1);
        Assert.True(b.Cap(Pmp).Used, "process 0's PMP capability is loaded at boot");
        Assert.Equal(0x1f, b.P0.PmpCfg[0]);
        Assert.Equal(0x2000_5fffUL, b.P0.PmpAddr[0]);
    }

    [Fact]
    public void AChildFollowsItsParentNewestFirst()
    {
        var b = new S3kBench();
        Assert.Equal(Err.Success, b.DeriveMemory(Ram, 10, RamBase, RamBase + 0x1_0000));          // A
        Assert.Equal(Err.Success, b.DeriveMemory(Ram, 11, RamBase + 0x1_0000, RamBase + 0x2_0000)); // B
        Assert.Equal(Err.Success, b.DeriveMemory(10, 12, RamBase, RamBase + 0x8000));               // A1 under A
        Assert.Equal("0:1 0:11 0:10 0:12 0:0 0:9 0:8 0:4 0:3 0:2", b.List(b.E(Ram)));
    }

    [Fact]
    public void RevokeTakesTheSubtreeOnlyAsThePreOrderListShowsIt()
    {
        var b = new S3kBench();
        b.DeriveMemory(Ram, 10, RamBase, RamBase + 0x1_0000);
        b.DeriveMemory(Ram, 11, RamBase + 0x1_0000, RamBase + 0x2_0000);
        b.DeriveMemory(10, 12, RamBase, RamBase + 0x8000);
        b.DeriveMemory(12, 13, RamBase, RamBase + 0x4000);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, 10));
        Assert.True(b.Cap(12).IsEmpty && b.Cap(13).IsEmpty, "A's descendants are gone");
        Assert.False(b.Cap(11).IsEmpty, "B, A's sibling, stays");
        Assert.Equal(b.Cap(10).Bgn, b.Cap(10).Mrk);
        Assert.Equal("0:1 0:11 0:10 0:0 0:9 0:8 0:4 0:3 0:2", b.List(b.E(Ram)));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Ram));
        Assert.Equal("0:1 0:0 0:9 0:8 0:4 0:3 0:2", b.List(b.E(Ram)));
        Assert.Equal(Cap.Memory(RamBase, 0x8800_0000, Rwx.All), b.Cap(Ram));
    }

    [Fact]
    public void ADeepChainRevokesFromAnyDepth()
    {
        var b = new S3kBench();
        const int depth = 20;
        int parent = Ram;
        for (int i = 0; i < depth; i++)
        {
            Assert.Equal(Err.Success, b.DeriveMemory(parent, 10 + i, RamBase, RamBase + (ulong)(depth - i) * 0x1000));
            parent = 10 + i;
        }
        Assert.Equal(string.Join(" ", new[] { "0:1" }.Concat(Enumerable.Range(10, depth).Select(i => $"0:{i}")).Append("0:0")),
            string.Join(" ", b.List(b.E(Ram)).Split(' ').Take(depth + 2)));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, 15));
        for (int i = 10; i < 10 + depth; i++) Assert.True(b.Cap(i).IsEmpty == i > 15, $"slot {i}");
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Ram));
        for (int i = 10; i < 10 + depth; i++) Assert.True(b.Cap(i).IsEmpty, $"slot {i}");
        Assert.Equal(b.Cap(Ram).Bgn, b.Cap(Ram).Mrk);
    }

    /// <summary>A tree under RAM with memory, loaded PMP (in process 1) and nested children, and a tree of
    /// time slices given to process 1: revoke each with a preemption after every possible number of steps;
    /// each time it says PREEMPTED with the steps done kept, and called again it ends as an uninterrupted revoke.</summary>
    [Theory]
    [InlineData(Ram)]
    [InlineData(Time0)]
    [InlineData(Channel)]
    public void RevokeInterruptedAtEveryStepEndsAsOneUninterrupted(int root)
    {
        var reference = Tree();
        Assert.Equal(Err.Success, reference.Call(reference.P0, Sys.CapRevoke, (ulong)root));
        string end = reference.Snapshot();
        int steps = (int)reference.Kernel.Trace.RevokeSteps;
        Assert.True(steps >= 5, $"the tree under {root} has {steps} descendants");

        for (int stopAfter = 1; stopAfter < steps; stopAfter++)
        {
            var b = Tree();
            int checks = 0;
            b.Ops.Preempt = () => ++checks >= stopAfter;
            Assert.Equal(Err.Preempted, b.Call(b.P0, Sys.CapRevoke, (ulong)root));
            Assert.Null(b.Next);
            Assert.Equal(stopAfter, b.Kernel.Trace.RevokeSteps);
            Assert.NotEqual(end, b.Snapshot());
            // Preempted again at once: one more step each time.
            checks = stopAfter - 1;
            b.Running(b.P0);
            var again = b.Call(b.P0, Sys.CapRevoke, (ulong)root);
            // After the last descendant a step that deleted a PMP or socket still says CONTINUE: one more turn ends it.
            Assert.True(stopAfter + 1 < steps ? again == Err.Preempted : again is Err.Preempted or Err.Success, $"{stopAfter}: {again}");
            Assert.Equal(stopAfter + 1, b.Kernel.Trace.RevokeSteps);
            b.Ops.Preempt = () => false;
            b.Running(b.P0);
            Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, (ulong)root));
            Assert.Equal(steps, b.Kernel.Trace.RevokeSteps);
            Assert.Equal(end, b.Snapshot());
        }
    }

    private static S3kBench Tree()
    {
        var b = new S3kBench();
        // Memory: A [0, 64K) with A1 and a PMP loaded in process 1; B [64K, 128K) with a PMP of its own.
        Assert.Equal(Err.Success, b.DeriveMemory(Ram, 10, RamBase, RamBase + 0x1_0000));
        Assert.Equal(Err.Success, b.DeriveMemory(10, 11, RamBase, RamBase + 0x8000));
        Assert.Equal(Err.Success, b.DeriveMemory(11, 12, RamBase, RamBase + 0x4000, Rwx.R));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 11, 13, Cap.Pmp(Cap.NapotEncode(RamBase + 0x4000, 0x4000), Rwx.Rw).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 13, 1, 3));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonPmpLoad, Mon, 1, 3, 2));
        Assert.Equal(Err.Success, b.DeriveMemory(Ram, 14, RamBase + 0x1_0000, RamBase + 0x2_0000));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 14, 15, Cap.Pmp(Cap.NapotEncode(RamBase + 0x1_0000, 0x1_0000), Rwx.Rw).Raw));
        // Time: [0, 16) to slot 16, [0, 8) of it to process 1, [8, 12) stays in 16's child 17.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Time0, 16, Cap.Time(0, 0, 16).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 16, 18, Cap.Time(0, 0, 8).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 18, 1, 4));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 16, 17, Cap.Time(0, 8, 12).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 17, 19, Cap.Time(0, 8, 10).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Time0, 20, Cap.Time(0, 16, 20).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Time0, 21, Cap.Time(0, 20, 32).Raw));
        // Channels: a channel, a server socket and two clients, one in process 1.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Channel, 22, Cap.Channel(0, 1).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Channel, 23, Cap.Socket(1, Ipc.Yield, Ipc.CData, 0).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 23, 24, Cap.Socket(1, Ipc.Yield, Ipc.CData, 1).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 23, 25, Cap.Socket(1, Ipc.Yield, Ipc.CData, 2).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 25, 1, 5));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, 22, 26, Cap.Socket(0, Ipc.NoYield, Ipc.CData, 0).Raw));
        return b;
    }

    [Fact]
    public void RevokeUnloadsPmpAndGivesSlotsBack()
    {
        var b = Tree();
        Assert.Equal(0x1b, b.P1.PmpCfg[2]);
        Assert.Equal((1, 8), b.Kernel.Slots.Info(0, 0));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Ram));
        Assert.Equal(0, b.P1.PmpCfg[2]);
        Assert.True(b.Cap(3, pid: 1).IsEmpty);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Time0));
        for (int s = 0; s < 32; s++) Assert.Equal((0, 32 - s), b.Kernel.Slots.Info(0, (ulong)s));
        Assert.True(b.Cap(4, pid: 1).IsEmpty);
        Assert.Equal(Cap.Time(0, 0, 32), b.Cap(Time0));
    }

    [Fact]
    public void DeleteLeavesChildrenToTheGrandparent()
    {
        var b = new S3kBench();
        b.DeriveMemory(Ram, 10, RamBase, RamBase + 0x1_0000);
        b.DeriveMemory(10, 11, RamBase, RamBase + 0x8000);
        b.DeriveMemory(11, 12, RamBase, RamBase + 0x4000);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDelete, 10));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.CapDelete, 10));
        Assert.Equal("0:1 0:11 0:12 0:0", string.Join(" ", b.List(b.E(Ram)).Split(' ').Take(4)));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Ram));
        Assert.True(b.Cap(11).IsEmpty && b.Cap(12).IsEmpty);
    }

    [Fact]
    public void DeletingATimeSliceFreesItsSlotsAndAPmpUnloadsIt()
    {
        var b = new S3kBench();
        b.Call(b.P0, Sys.CapDerive, Time0, 10, Cap.Time(0, 0, 4).Raw);
        b.Call(b.P0, Sys.CapDerive, 10, 11, Cap.Time(0, 0, 2).Raw);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDelete, 10));
        // Slots 2 and 3 were 10's own; 0 and 1 belong to its child.
        Assert.Equal((0, 0), b.Kernel.Slots.Info(0, 2));
        Assert.Equal((0, 0), b.Kernel.Slots.Info(0, 3));
        Assert.Equal((0, 2), b.Kernel.Slots.Info(0, 0));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDelete, Pmp));
        Assert.Equal(0, b.P0.PmpCfg[0]);
    }

    [Fact]
    public void MovingAcrossProcessesUnloadsPmpAndCarriesTimeSlots()
    {
        var b = new S3kBench();
        b.Call(b.P0, Sys.CapDerive, Ram, 10, Cap.Pmp(Cap.NapotEncode(RamBase, 0x1_0000), Rwx.Rw).Raw);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.PmpLoad, 10, 3));
        Assert.Equal(0x1b, b.P0.PmpCfg[3]);
        // Within a process a loaded PMP stays loaded.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapMove, 10, 11));
        Assert.True(b.Cap(11).Used);
        Assert.Equal(0x1b, b.P0.PmpCfg[3]);
        string before = b.List(b.E(Ram));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 11, 1, 6));
        Assert.Equal(0, b.P0.PmpCfg[3]);
        Assert.Equal(0, b.P1.PmpCfg[3]);
        Assert.Equal(Cap.Pmp(Cap.NapotEncode(RamBase, 0x1_0000), Rwx.Rw), b.Cap(6, pid: 1));
        Assert.Equal(before.Replace("0:11", "1:6"), b.List(b.E(Ram)));

        // A time slice's free slots go with it: [4, 12) with [4, 6) given to a child that stays.
        b.Call(b.P0, Sys.CapDerive, Time0, 12, Cap.Time(0, 0, 12).Raw);
        b.Call(b.P0, Sys.CapDerive, 12, 13, Cap.Time(0, 0, 4).Raw);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 0, 12, 1, 7));
        for (int s = 0; s < 4; s++) Assert.Equal((0, 4 - s), b.Kernel.Slots.Info(0, (ulong)s));
        for (int s = 4; s < 12; s++) Assert.Equal((1, 12 - s), b.Kernel.Slots.Info(0, (ulong)s));
        for (int s = 12; s < 32; s++) Assert.Equal((0, 32 - s), b.Kernel.Slots.Info(0, (ulong)s));
        // Moving it back to process 0 gives them back.
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.MonCapMove, Mon, 1, 7, 0, 12));
        for (int s = 4; s < 12; s++) Assert.Equal((0, 12 - s), b.Kernel.Slots.Info(0, (ulong)s));
    }

    [Fact]
    public void RevokeOfALeafOrAnEmptySlot()
    {
        var b = new S3kBench();
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Mtime));
        Assert.Equal(Err.Empty, b.Call(b.P0, Sys.CapRevoke, 20));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Pmp));
        Assert.True(b.Cap(Pmp).Used);
    }
    [Fact]
    public void RevokingTheServerSocketDeletesItsClientsInEveryProcessAndNothingElse()
    {
        var b = Tree();
        // A client's socket has no children: revoking it changes nothing.
        string before = b.Snapshot();
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, 24));
        Assert.Equal(before, b.Snapshot());
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, 23));
        Assert.True(b.Cap(24).IsEmpty, "the client in process 0");
        Assert.True(b.Cap(5, pid: 1).IsEmpty, "the client in process 1");
        Assert.Equal(Cap.Socket(1, Ipc.Yield, Ipc.CData, 0), b.Cap(23));
        Assert.Equal(Cap.Socket(0, Ipc.NoYield, Ipc.CData, 0), b.Cap(26));
        Assert.Equal(Cap.Channel(0, 1).WithMrk(1), b.Cap(22));
        Assert.Equal(2, b.Kernel.Trace.RevokeSteps);
    }
    [Fact]
    public void RevokeAfterTheChildrenWereDeletedStillResetsTheMarkSlotsAndLock()
    {
        var b = new S3kBench();
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Time0, 10, Cap.Time(0, 0, 4).Raw));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDelete, 10));
        Assert.Equal((ushort)4, b.Cap(Time0).Mrk);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Time0));
        Assert.Equal(Cap.Time(0, 0, 32), b.Cap(Time0));
        for (int s = 0; s < 32; s++) Assert.Equal((0, 32 - s), b.Kernel.Slots.Info(0, (ulong)s));

        Assert.Equal(Err.Success, b.DeriveMemory(Ram, 11, RamBase, RamBase + 0x1_0000));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDerive, Ram, 12, Cap.Pmp(Cap.NapotEncode(RamBase + 0x1_0000, 0x1_0000), Rwx.R).Raw));
        Assert.True(b.Cap(Ram).Lck);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDelete, 11));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapDelete, 12));
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Ram));
        Assert.Equal(Cap.Memory(RamBase, 0x8800_0000, Rwx.All), b.Cap(Ram));
    }

    [Fact]
    public void RevokingOneHartsTimeLeavesTheNextHartsTimeAlone()
    {
        var b = new S3kBench(4);
        // The boot list runs 0:7 0:6 0:5 0:4: hart 1's time (slot 5) is followed by hart 0's.
        var hart0 = b.Cap(Time0);
        Assert.Equal(Err.Success, b.Call(b.P0, Sys.CapRevoke, Time0 + 1));
        Assert.Equal(hart0, b.Cap(Time0));
        Assert.Equal(0, b.Kernel.Trace.RevokeSteps);
    }

    [Fact]
    public void TheCapabilityTraceShowsEachOperation()
    {
        var b = new S3kBench();
        var log = new StringWriter();
        b.Kernel.Trace.Caps = log;
        b.Call(b.P0, Sys.CapDerive, Mon, 10, Cap.Monitor(1, 2).Raw);
        b.Call(b.P0, Sys.CapMove, 10, 11);
        b.Call(b.P0, Sys.CapRevoke, Mon);
        b.Call(b.P0, Sys.CapDerive, Mon, 12, Cap.Monitor(1, 2).Raw);
        string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("s3k: derive ", lines[0]);
        Assert.StartsWith("s3k: move ", lines[1]);
        Assert.StartsWith("s3k: revoke ", lines[2]);
        Assert.Contains(" done: ", lines[3]);
        Assert.StartsWith("s3k: derive ", lines[4]);
        Assert.Equal(1, b.Kernel.Trace.Revocations);
        log.GetStringBuilder().Clear();
        b.Call(b.P0, Sys.CapDelete, 12);
        Assert.StartsWith("s3k: delete ", log.ToString());
    }
}
