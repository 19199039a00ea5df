using System.Buffers.Binary;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.S3k;
using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Dma;
using Bulwark.S3k.Kernel;
using Bulwark.S3k.Platforms;
using Bulwark.Tests.Devices;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>The C# s3k kernel on a four-hart board with a virtio-blk disk, driven directly (no guest code):
/// pid 0 is the monitor, pid 1 the driver, pid 2 the victim. The monitor gives the driver
/// <see cref="Driver"/> (its rings and headers), <see cref="Target"/> (its buffers, the memory the tests
/// revoke) and the device's register window; the test then plays the driver: it writes the device's
/// registers and builds rings and requests in the driver's memory, as the driver's stores would.</summary>
public sealed class RevokeFixture
{
    public const ulong Driver = 0x8004_0000, DriverSize = 0x1_0000;     // driver's rings, headers, status bytes
    public const ulong Target = 0x8005_0000, TargetSize = 0x4000;       // driver's buffers, then the victim's
    public const ulong Window = QemuVirtBoard.VirtioBase;
    public const ushort QueueSize = 8;

    // pid 0's slots
    public const int RamMem = 1, UartMem = 2, DriverMem = 10, TargetMem = 11, Tmp = 12, VictimPmp = 13;

    private ulong _nextHeader = Driver + 0x2000;
    private ushort _nextDesc;

    /// <param name="ringsInTarget">The driver places its rings in the target instead of its own memory.</param>
    public RevokeFixture(RevokePolicy policy, BlockLatency? latency = null, ulong seed = 1, ulong denyResetNs = 1_000_000, bool ringsInTarget = false)
    {
        DescTable = ringsInTarget ? Target + 0x2000 : Driver;
        Disk = VirtioHarness.PatternDisk(64);
        Board = new QemuVirtBoard(new QemuVirtOptions { Harts = 4, Seed = seed, Disk = Disk, DiskLatency = latency ?? new BlockLatency(10_000, 0, 0) });
        var config = new S3kConfig { Platform = S3kPlatform.QemuVirt4, ProcCount = 4, CapCount = 16, ChanCount = 4, RevokePolicy = policy, TrackDma = true, DenyResetNs = denyResetNs };
        Kernel = new S3kKernel(Board.Machine, config, null, (_, _) => { });
        Kernel.Init();
        // The monitor hands the driver its memory, its buffers and the device's window (PMP capabilities).
        Ok(Kernel.Ops.Derive(Slot(0, RamMem), Slot(0, DriverMem), Cap.Memory(Driver, Driver + DriverSize, Rwx.Rw)));
        Ok(Kernel.Ops.Derive(Slot(0, DriverMem), Slot(0, Tmp), Cap.Pmp(Cap.NapotEncode(Driver, DriverSize), Rwx.Rw)));
        Ok(Kernel.Ops.Move(Slot(0, Tmp), Slot(1, 0)));
        Ok(Kernel.Ops.Derive(Slot(0, RamMem), Slot(0, TargetMem), Cap.Memory(Target, Target + TargetSize, Rwx.Rw)));
        Ok(Kernel.Ops.Derive(Slot(0, TargetMem), Slot(0, Tmp), Cap.Pmp(Cap.NapotEncode(Target, TargetSize), Rwx.Rw)));
        Ok(Kernel.Ops.Move(Slot(0, Tmp), Slot(1, 1)));
        Ok(Kernel.Ops.Derive(Slot(0, UartMem), Slot(0, Tmp), Cap.Pmp(Cap.NapotEncode(0x1000_0000, 0x2000), Rwx.Rw)));
        Ok(Kernel.Ops.Move(Slot(0, Tmp), Slot(1, 2)));
        InitLegacy();
    }

    public QemuVirtBoard Board { get; }
    public S3kKernel Kernel { get; }
    public DiskImage Disk { get; }
    public VirtioMmio Slot0 => Board.Virtio[0];
    public DmaSupervisor Dma => Kernel.Dma!;
    public DmaReport Report => Kernel.DmaReport()!;
    /// <summary>The rings: the legacy layout (avail after the descriptors, used at the next 4 KiB).</summary>
    public ulong DescTable { get; }
    public ulong AvailRing => DescTable + 16UL * QueueSize;
    public ulong UsedRing => DescTable + 0x1000;

    public int Slot(int pid, int index) => Kernel.Table.Get((ulong)pid, (ulong)index);

    public static void Ok(Err err) => Assert.Equal(Err.Success, err);

    /// <summary>The monitor takes the target back (revoke of its MEMORY capability: the driver's PMP goes).</summary>
    public Err RevokeTarget() => Kernel.Ops.Revoke(Slot(0, TargetMem));

    /// <summary>The monitor gives the target to the victim: a PMP capability derived again and moved to pid 2.</summary>
    public Err GiveTargetToVictim()
    {
        var err = Kernel.Ops.Derive(Slot(0, TargetMem), Slot(0, VictimPmp), Cap.Pmp(Cap.NapotEncode(Target, TargetSize), Rwx.Rw));
        return err != Err.Success ? err : Kernel.Ops.Move(Slot(0, VictimPmp), Slot(2, 0));
    }

    // ---- the driver's side: registers and memory ----

    public uint Reg(ulong offset)
    {
        Assert.True(Board.Machine.Bus.TryRead(Window + offset, 4, out ulong v));
        return (uint)v;
    }

    public void SetReg(ulong offset, uint value) => Assert.True(Board.Machine.Bus.TryWrite(Window + offset, 4, value));

    public void Write(ulong pa, ReadOnlySpan<byte> bytes) => Board.Machine.Bus.Ram.Write(pa, bytes);

    public byte[] Read(ulong pa, int length)
    {
        var b = new byte[length];
        Board.Machine.Bus.Ram.Read(pa, b);
        return b;
    }

    public void Fill(ulong pa, int length, byte value) => Write(pa, Enumerable.Repeat(value, length).ToArray());

    private void InitLegacy()
    {
        SetReg(VirtioHarness.RegStatus, VirtioStatus.Acknowledge);
        SetReg(VirtioHarness.RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver);
        uint features = Reg(VirtioHarness.RegDeviceFeatures);
        SetReg(VirtioHarness.RegDriverFeatures, features);
        SetReg(VirtioHarness.RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver | VirtioStatus.FeaturesOk | VirtioStatus.DriverOk);
        SetReg(VirtioHarness.RegGuestPageSize, 4096);
        SetReg(VirtioHarness.RegQueueSel, 0);
        SetReg(VirtioHarness.RegQueueNum, QueueSize);
        Write(DescTable, new byte[0x2000]);
        SetReg(VirtioHarness.RegQueuePfn, (uint)(DescTable >> 12));
    }

    public void SetDesc(ulong table, int index, ulong addr, uint len, ushort flags, ushort next = 0)
    {
        var d = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(d, addr);
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(8), len);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(12), flags);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(14), next);
        Write(table + 16 * (ulong)index, d);
    }

    public ushort[] TakeDescriptors(int count) => Enumerable.Range(0, count).Select(_ => (ushort)(_nextDesc++ % QueueSize)).ToArray();

    /// <summary>A 16-byte header in the driver's memory.</summary>
    public ulong Header(uint type, ulong sector)
    {
        ulong at = _nextHeader;
        _nextHeader += 32;
        var h = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(h, type);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(8), sector);
        Write(at, h);
        return at;
    }

    /// <summary>A status byte (0xff) in the driver's memory.</summary>
    public ulong StatusByte()
    {
        ulong at = _nextHeader;
        _nextHeader += 16;
        Write(at, [0xff]);
        return at;
    }

    /// <summary>header, data (at <paramref name="data"/>, writable for IN), status as a direct chain; returns the head.</summary>
    public ushort Chain(params (ulong Addr, uint Len, bool Writable)[] buffers)
    {
        var ids = TakeDescriptors(buffers.Length);
        for (int i = 0; i < buffers.Length; i++)
        {
            bool last = i == buffers.Length - 1;
            ushort flags = (ushort)((buffers[i].Writable ? VirtqFlags.DescWrite : 0) | (last ? 0 : VirtqFlags.DescNext));
            SetDesc(DescTable, ids[i], buffers[i].Addr, buffers[i].Len, flags, last ? (ushort)0 : ids[i + 1]);
        }
        return ids[0];
    }

    /// <summary>An IN request of 512 bytes of <paramref name="sector"/> into <paramref name="data"/>; offered, not notified.</summary>
    public (ushort Head, ulong Status) OfferIn(ulong data, ulong sector = 3, uint length = 512)
    {
        ulong status = StatusByte();
        ushort head = Chain((Header(VirtioBlock.TypeIn, sector), 16, false), (data, length, true), (status, 1, true));
        Offer(head);
        return (head, status);
    }

    /// <summary>An OUT request of 512 bytes from <paramref name="data"/> to <paramref name="sector"/>; offered, not notified.</summary>
    public (ushort Head, ulong Status) OfferOut(ulong data, ulong sector = 5)
    {
        ulong status = StatusByte();
        ushort head = Chain((Header(VirtioBlock.TypeOut, sector), 16, false), (data, 512, false), (status, 1, true));
        Offer(head);
        return (head, status);
    }

    public void Offer(ushort head)
    {
        ushort idx = BinaryPrimitives.ReadUInt16LittleEndian(Read(AvailRing + 2, 2));
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, head);
        Write(AvailRing + 4 + 2 * (ulong)(idx % QueueSize), b);
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(idx + 1));
        Write(AvailRing + 2, b);
    }

    public void Kick() => SetReg(VirtioHarness.RegQueueNotify, 0);

    public ushort UsedIdx => BinaryPrimitives.ReadUInt16LittleEndian(Read(UsedRing + 2, 2));

    /// <summary>Lets virtual time pass, firing device events.</summary>
    public void Run(ulong ns)
    {
        var clock = Board.Machine.Clock;
        ulong until = clock.Nanoseconds + ns;
        while (clock.TryPeekNextEvent(out ulong at) && at <= until)
        {
            clock.AdvanceTo(at);
            clock.FireDueEvents();
        }
        clock.AdvanceTo(until);
    }

    public OwnerSet OwnersOf(ulong address) => Dma.Current.OwnersOf(address);

    /// <summary>The victim's bytes equal what the disk holds at <paramref name="sector"/> (the device wrote there).</summary>
    public bool HoldsDiskSector(ulong at, ulong sector) => Read(at, 512).SequenceEqual(Disk.Slice(sector * 512, 512).ToArray());
}
