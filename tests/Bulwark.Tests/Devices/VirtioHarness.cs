using System.Buffers.Binary;
using Bulwark.Machine.Devices;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Memory;
using MachineT = Bulwark.Machine.Machine;

namespace Bulwark.Tests.Devices;

/// <summary>Remembers every level an interrupt line was set to.</summary>
public sealed class RecordingLine : IInterruptLine
{
    public List<bool> Levels { get; } = [];
    public bool Level { get; private set; }
    public int Raised => Levels.Count(l => l);

    public void Set(bool level)
    {
        Levels.Add(level);
        Level = level;
    }
}

/// <summary>Sees every DMA access; refuses those <see cref="Deny"/> picks.</summary>
public sealed class RecordingMonitor : IDmaMonitor
{
    public List<DmaAccess> Accesses { get; } = [];
    public Func<DmaAccess, bool>? Deny { get; set; }

    public bool Allow(in DmaAccess access)
    {
        Accesses.Add(access);
        return Deny == null || !Deny(access);
    }
}

/// <summary>One block request as the harness laid it out in RAM.</summary>
public sealed record BlockRequest(ushort Head, ulong Header, ulong Data, uint DataLength, ulong Status);

/// <summary>A system-board machine with one virtio-mmio slot at QEMU's first address (IRQ line recorded),
/// and a test driver: it writes the slot's registers through the bus and builds rings and requests in RAM
/// through its own DMA port, like the guest's driver would with stores.</summary>
public sealed class VirtioHarness
{
    public const ulong RamBase = 0x8000_0000;
    public const ulong RamSize = 1 << 20;
    public const ulong SlotBase = 0x1000_1000;
    public const ulong DescTable = RamBase + 0x1000;
    public const ulong UsedRing = RamBase + 0x2000;     // the legacy layout with 4 KiB alignment puts it here
    public const ulong BufferArea = RamBase + 0x10000;
    public const int DiskSectors = 64;

    public const ulong RegMagic = 0x000, RegVersion = 0x004, RegDeviceId = 0x008, RegVendor = 0x00c;
    public const ulong RegDeviceFeatures = 0x010, RegDeviceFeaturesSel = 0x014;
    public const ulong RegDriverFeatures = 0x020, RegDriverFeaturesSel = 0x024, RegGuestPageSize = 0x028;
    public const ulong RegQueueSel = 0x030, RegQueueNumMax = 0x034, RegQueueNum = 0x038, RegQueueAlign = 0x03c;
    public const ulong RegQueuePfn = 0x040, RegQueueReady = 0x044, RegQueueNotify = 0x050;
    public const ulong RegInterruptStatus = 0x060, RegInterruptAck = 0x064, RegStatus = 0x070;
    public const ulong RegQueueDescLow = 0x080, RegQueueDescHigh = 0x084, RegQueueDriverLow = 0x090;
    public const ulong RegQueueDriverHigh = 0x094, RegQueueDeviceLow = 0x0a0, RegQueueDeviceHigh = 0x0a4;
    public const ulong RegConfigGeneration = 0x0fc, RegConfig = 0x100;

    private ulong _nextBuffer = BufferArea;
    private ushort _nextDesc;

    public VirtioHarness(int version, DiskImage? disk = null, ulong seed = 1, BlockLatency? latency = null,
        ushort queueSize = 16, bool emptySlot = false)
    {
        Machine = new MachineT(1, PhysicalMemory.AtAddress(RamBase, RamSize));
        Trace = new StringWriter();
        Machine.DeviceTrace.Writer = Trace;
        Machine.Bus.DmaMonitor = Monitor;
        Disk = disk ?? PatternDisk(DiskSectors);
        Block = emptySlot ? null : new VirtioBlock(Disk, seed, latency ?? new BlockLatency(10_000, 0, 0));
        Slot = new VirtioMmio(Machine, "virtio0", version, Block, Irq);
        Machine.Bus.Map(SlotBase, Slot);
        Ram = Machine.Bus.CreateDmaPort("test-driver");
        QueueSize = queueSize;
    }

    public MachineT Machine { get; }
    public VirtioMmio Slot { get; }
    public VirtioBlock? Block { get; }
    public DiskImage Disk { get; }
    public RecordingLine Irq { get; } = new();
    public RecordingMonitor Monitor { get; } = new();
    public StringWriter Trace { get; }
    public DmaPort Ram { get; }
    public ushort QueueSize { get; }
    public ulong AvailRing => DescTable + 16 * (ulong)QueueSize;

    /// <summary>Sector s, byte i holds (s * 31 + i * 7) mod 256, so every sector differs.</summary>
    public static DiskImage PatternDisk(int sectors, bool readOnly = false)
    {
        var bytes = new byte[sectors * DiskImage.SectorSize];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i / 512 * 31 + i * 7);
        return new DiskImage(bytes, readOnly);
    }

    // ---- registers ----

    public uint Reg(ulong offset)
    {
        Assert.True(Machine.Bus.TryRead(SlotBase + offset, 4, out ulong value), $"read at 0x{offset:x} faulted");
        return (uint)value;
    }

    public void SetReg(ulong offset, uint value) =>
        Assert.True(Machine.Bus.TryWrite(SlotBase + offset, 4, value), $"write at 0x{offset:x} faulted");

    public ulong DeviceFeatures()
    {
        SetReg(RegDeviceFeaturesSel, 0);
        ulong low = Reg(RegDeviceFeatures);
        SetReg(RegDeviceFeaturesSel, 1);
        return low | (ulong)Reg(RegDeviceFeatures) << 32;
    }

    /// <summary>The legacy sequence of the course's xv6-derived driver (app0/virtio_disk.c): ACK, DRIVER,
    /// features, FEATURES_OK, DRIVER_OK, then GuestPageSize, QueueNum and QueuePFN.</summary>
    public void InitLegacy(ulong accept = ulong.MaxValue)
    {
        SetReg(RegStatus, 0);
        uint status = VirtioStatus.Acknowledge;
        SetReg(RegStatus, status);
        status |= VirtioStatus.Driver;
        SetReg(RegStatus, status);
        SetReg(RegDeviceFeaturesSel, 0);
        uint features = Reg(RegDeviceFeatures) & (uint)accept;
        SetReg(RegDriverFeatures, features);
        status |= VirtioStatus.FeaturesOk;
        SetReg(RegStatus, status);
        status |= VirtioStatus.DriverOk;
        SetReg(RegStatus, status);
        SetReg(RegGuestPageSize, 4096);
        SetReg(RegQueueSel, 0);
        Assert.True(Reg(RegQueueNumMax) >= QueueSize);
        SetReg(RegQueueNum, QueueSize);
        ClearRings();
        SetReg(RegQueuePfn, (uint)(DescTable >> 12));
    }

    /// <summary>The version 2 sequence (virtio 1.2 §3.1.1 and §4.2.3.2), accepting
    /// <paramref name="accept"/> of what is offered (VERSION_1 always). Returns whether FEATURES_OK stuck.</summary>
    public bool InitModern(ulong accept = ulong.MaxValue, bool driverOk = true)
    {
        SetReg(RegStatus, 0);
        SetReg(RegStatus, VirtioStatus.Acknowledge);
        SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver);
        ulong wanted = DeviceFeatures() & (accept | VirtioFeature.Version1);
        if (!Negotiate(wanted)) return false;
        SetReg(RegQueueSel, 0);
        Assert.Equal(0u, Reg(RegQueueReady));
        Assert.True(Reg(RegQueueNumMax) >= QueueSize);
        SetReg(RegQueueNum, QueueSize);
        ClearRings();
        SetReg(RegQueueDescLow, (uint)DescTable);
        SetReg(RegQueueDescHigh, (uint)(DescTable >> 32));
        SetReg(RegQueueDriverLow, (uint)AvailRing);
        SetReg(RegQueueDriverHigh, (uint)(AvailRing >> 32));
        SetReg(RegQueueDeviceLow, (uint)UsedRing);
        SetReg(RegQueueDeviceHigh, (uint)(UsedRing >> 32));
        SetReg(RegQueueReady, 1);
        if (driverOk) SetReg(RegStatus, Reg(RegStatus) | VirtioStatus.DriverOk);
        return true;
    }

    /// <summary>Writes <paramref name="features"/> and FEATURES_OK; true if FEATURES_OK reads back.</summary>
    public bool Negotiate(ulong features)
    {
        SetReg(RegDriverFeaturesSel, 0);
        SetReg(RegDriverFeatures, (uint)features);
        SetReg(RegDriverFeaturesSel, 1);
        SetReg(RegDriverFeatures, (uint)(features >> 32));
        SetReg(RegStatus, Reg(RegStatus) | VirtioStatus.FeaturesOk);
        return (Reg(RegStatus) & VirtioStatus.FeaturesOk) != 0;
    }

    public void Init(int version, ulong accept = ulong.MaxValue)
    {
        if (version == 1) InitLegacy(accept);
        else Assert.True(InitModern(accept));
    }

    private void ClearRings()
    {
        Write(DescTable, new byte[0x2000]);
        _nextDesc = 0;
    }

    // ---- RAM ----

    public void Write(ulong pa, ReadOnlySpan<byte> bytes) => Assert.True(Ram.Write(pa, bytes));

    public byte[] Read(ulong pa, int length)
    {
        var bytes = new byte[length];
        Assert.True(Ram.Read(pa, bytes));
        return bytes;
    }

    public void WriteU16(ulong pa, ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        Write(pa, b);
    }

    public ushort ReadU16(ulong pa) => BinaryPrimitives.ReadUInt16LittleEndian(Read(pa, 2));

    /// <summary>A fresh buffer of <paramref name="length"/> bytes, filled with <paramref name="fill"/>.</summary>
    public ulong Buffer(int length, byte fill = 0xaa)
    {
        ulong at = _nextBuffer;
        _nextBuffer += ((ulong)length + 15) & ~15UL;
        Write(at, Enumerable.Repeat(fill, length).ToArray());
        return at;
    }

    // ---- rings ----

    public void SetDesc(ulong table, int index, ulong addr, uint len, ushort flags, ushort next = 0)
    {
        var d = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(d, addr);
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(8), len);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(12), flags);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(14), next);
        Write(table + 16 * (ulong)index, d);
    }

    public void SetDesc(int index, ulong addr, uint len, ushort flags, ushort next = 0) =>
        SetDesc(DescTable, index, addr, len, flags, next);

    /// <summary>Takes the next <paramref name="count"/> descriptors of the table (in order, wrapping).</summary>
    public ushort[] TakeDescriptors(int count) =>
        Enumerable.Range(0, count).Select(_ => (ushort)(_nextDesc++ % QueueSize)).ToArray();

    /// <summary>Links <paramref name="buffers"/> into a chain of fresh descriptors and returns its head
    /// (not yet offered).</summary>
    public ushort Chain(params (ulong Addr, uint Len, bool Writable)[] buffers)
    {
        var ids = TakeDescriptors(buffers.Length);
        for (int i = 0; i < buffers.Length; i++)
        {
            bool last = i == buffers.Length - 1;
            ushort flags = (ushort)((buffers[i].Writable ? VirtqFlags.DescWrite : 0) | (last ? 0 : VirtqFlags.DescNext));
            SetDesc(ids[i], buffers[i].Addr, buffers[i].Len, flags, last ? (ushort)0 : ids[i + 1]);
        }
        return ids[0];
    }

    public ushort AvailIdx => ReadU16(AvailRing + 2);

    /// <summary>Puts <paramref name="head"/> in the available ring and publishes it (no notify).</summary>
    public void Offer(ushort head)
    {
        ushort idx = AvailIdx;
        WriteU16(AvailRing + 4 + 2 * (ulong)(idx % QueueSize), head);
        WriteU16(AvailRing + 2, (ushort)(idx + 1));
    }

    public void SetAvailFlags(ushort flags) => WriteU16(AvailRing, flags);
    public void SetUsedEvent(ushort value) => WriteU16(AvailRing + 4 + 2 * (ulong)QueueSize, value);
    public ushort AvailEvent => ReadU16(UsedRing + 4 + 8 * (ulong)QueueSize);

    public void Kick(uint queue = 0) => SetReg(RegQueueNotify, queue);

    public ushort UsedIdx => ReadU16(UsedRing + 2);

    public (uint Id, uint Len) Used(int i)
    {
        var e = Read(UsedRing + 4 + 8 * (ulong)(i % QueueSize), 8);
        return (BinaryPrimitives.ReadUInt32LittleEndian(e), BinaryPrimitives.ReadUInt32LittleEndian(e.AsSpan(4)));
    }

    // ---- block requests ----

    public ulong Header(uint type, ulong sector)
    {
        var h = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(h, type);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(8), sector);
        ulong at = Buffer(16);
        Write(at, h);
        return at;
    }

    /// <summary>A header, a data buffer (writable for IN and GET_ID) and a status byte (0xff), offered.</summary>
    public BlockRequest Request(uint type, ulong sector, uint dataLength, byte[]? outData = null)
    {
        ulong header = Header(type, sector);
        bool deviceWrites = type != VirtioBlock.TypeOut;
        ulong data = dataLength == 0 ? 0 : Buffer((int)dataLength);
        if (outData != null) Write(data, outData);
        ulong status = Buffer(1, 0xff);
        var chain = new List<(ulong, uint, bool)> { (header, 16, false) };
        if (dataLength > 0) chain.Add((data, dataLength, deviceWrites));
        chain.Add((status, 1, true));
        ushort head = Chain([.. chain]);
        Offer(head);
        return new BlockRequest(head, header, data, dataLength, status);
    }

    public byte StatusOf(BlockRequest r) => Read(r.Status, 1)[0];

    public byte[] DiskBytes(ulong sector, int length) => Disk.Slice(sector * 512, length).ToArray();

    // ---- time ----

    public void Run(ulong ns)
    {
        Machine.Clock.Advance(ns);
        Machine.Clock.FireDueEvents();
    }

    public void RunUntilIdle()
    {
        while (Machine.Clock.TryPeekNextEvent(out ulong at))
        {
            Machine.Clock.AdvanceTo(at);
            Machine.Clock.FireDueEvents();
        }
    }
}
