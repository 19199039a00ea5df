using Bulwark.Machine.Devices.Virtio;
using static Bulwark.Tests.Devices.VirtioHarness;

namespace Bulwark.Tests.Devices;

/// <summary>Every malformed chain stops the device the way QEMU's virtio_error does: DEVICE_NEEDS_RESET,
/// a configuration-change interrupt (version 2 with DRIVER_OK; QEMU raises none for a legacy device), a
/// trace line in QEMU's words, nothing written anywhere in RAM, nothing more processed until reset. None
/// of them throws or hangs.</summary>
public sealed class VirtioMalformedTests
{
    private static readonly string[] CaseNames =
    [
        "loop", "next out of range", "buffer outside RAM", "buffer running past RAM", "zero-length buffer",
        "indirect size not a multiple of 16", "indirect table outside RAM", "nested indirect", "indirect with next",
        "indirect table larger than the queue", "writable before readable", "avail index jump", "head out of range",
        "no writable status", "header too short", "header DMA refused", "data DMA refused at completion",
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in CaseNames)
            foreach (int version in new[] { 1, 2 }) data.Add(name, version);
        return data;
    }

    /// <summary>Lays out the malformed request <paramref name="name"/> and returns the trace text expected.</summary>
    private static string Build(VirtioHarness h, string name)
    {
        ushort n = h.QueueSize;
        ulong header = h.Header(VirtioBlock.TypeOut, 1);
        ulong readable = h.Buffer(512, 0x11);
        ulong writable = h.Buffer(512);
        ulong status = h.Buffer(1, 0xff);
        ulong table = h.Buffer(16 * (n + 1), 0);
        const ushort R = 0, W = VirtqFlags.DescWrite, N = VirtqFlags.DescNext, I = VirtqFlags.DescIndirect;
        void Direct(params (ulong Addr, uint Len, ushort Flags, ushort Next)[] ds)
        {
            for (int i = 0; i < ds.Length; i++) h.SetDesc(i, ds[i].Addr, ds[i].Len, ds[i].Flags, ds[i].Next);
            h.Offer(0);
        }
        switch (name)
        {
            case "loop":
                Direct((header, 16, R | N, 1), (status, 1, W | N, 2), (writable, 512, W | N, 1));
                return "Looped descriptor";
            case "next out of range":
                Direct((header, 16, R | N, n));
                return $"Desc next is {n}";
            case "buffer outside RAM":
                Direct((header, 16, R | N, 1), (0x1000_0000, 512, W | N, 2), (status, 1, W, 0));
                return "virtio: bogus descriptor or out of resources";
            case "buffer running past RAM":
                h.Write(RamBase + RamSize - 256, Enumerable.Repeat((byte)0xaa, 256).ToArray());
                Direct((header, 16, R | N, 1), (RamBase + RamSize - 256, 512, W | N, 2), (status, 1, W, 0));
                return "virtio: bogus descriptor or out of resources";
            case "zero-length buffer":
                Direct((header, 16, R | N, 1), (readable, 0, R | N, 2), (status, 1, W, 0));
                return "virtio: zero sized buffers are not allowed";
            case "indirect size not a multiple of 16":
                h.SetDesc(table, 0, header, 16, R | N, 1);
                h.SetDesc(table, 1, status, 1, W);
                Direct((table, 40, I, 0));
                return "Invalid size for indirect buffer table";
            case "indirect table outside RAM":
                Direct((0x1000_0000, 32, I, 0));
                return "Cannot map indirect buffer";
            case "nested indirect":
                h.SetDesc(table, 0, header, 16, R | N, 1);
                h.SetDesc(table, 1, table, 32, I);
                Direct((table, 32, I, 0));
                return "Nested indirect descriptor";
            case "indirect with next":
                h.SetDesc(table, 0, header, 16, R | N, 1);
                h.SetDesc(table, 1, status, 1, W);
                Direct((table, 32, I | N, 1), (status, 1, W, 0));
                return "also has NEXT";
            case "indirect table larger than the queue":
                h.SetDesc(table, 0, header, 16, R | N, 1);
                h.SetDesc(table, 1, status, 1, W);
                Direct((table, 16u * (n + 1u), I, 0));
                return $"Indirect buffer length too big: {16 * (n + 1)}";
            case "writable before readable":
                Direct((status, 1, W | N, 1), (header, 16, R, 0));
                return "Incorrect order for descriptors";
            case "avail index jump":
                Direct((header, 16, R | N, 1), (status, 1, W, 0));
                h.WriteU16(h.AvailRing + 2, (ushort)(n + 1));
                return $"Guest moved used index from 0 to {n + 1}";
            case "head out of range":
                h.SetDesc(0, header, 16, R | N, 1);
                h.SetDesc(1, status, 1, W);
                h.Offer(n);
                return $"Guest says index {n} is available";
            case "no writable status":
                Direct((header, 16, R | N, 1), (readable, 512, R, 0));
                return "virtio-blk missing headers";
            case "header too short":
                Direct((header, 8, R | N, 1), (status, 1, W, 0));
                return "virtio-blk request outhdr too short";
            case "header DMA refused":
                h.Monitor.Deny = a => a.Device == "virtio0" && a.Address == header;
                Direct((header, 16, R | N, 1), (readable, 512, R | N, 2), (status, 1, W, 0));
                return "virtio: bogus descriptor or out of resources";
            case "data DMA refused at completion":
                h.Write(header, BitConverter.GetBytes(VirtioBlock.TypeIn));
                h.Monitor.Deny = a => a.Device == "virtio0" && a.IsWrite && a.Address == writable;
                Direct((header, 16, R | N, 1), (writable, 512, W | N, 2), (status, 1, W, 0));
                return "virtio: bogus descriptor or out of resources";
            default:
                throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AMalformedChainBreaksTheDeviceWithoutWritingAnything(string name, int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        string message = Build(h, name);
        var ram = h.Read(RamBase, (int)RamSize);

        h.Kick();
        // A chain that fails only at completion was popped cleanly: the device may have published
        // avail_event then. From the pop on it must write nothing.
        if (name.EndsWith("at completion"))
        {
            Assert.False(h.Slot.IsBroken);
            ram = h.Read(RamBase, (int)RamSize);
        }
        h.RunUntilIdle();

        Assert.Contains(message, h.Trace.ToString());
        Assert.NotEqual(0u, h.Reg(RegStatus) & VirtioStatus.NeedsReset);
        Assert.Equal(VirtioStatus.DriverOk, h.Reg(RegStatus) & VirtioStatus.DriverOk);   // the driver's bits stay
        if (version == 2)
        {
            Assert.NotEqual(0u, h.Reg(RegInterruptStatus) & VirtioInterrupt.ConfigChange);
            Assert.True(h.Irq.Level);
            Assert.Equal(1u, h.Reg(RegConfigGeneration));
        }
        else
        {
            Assert.Equal(0u, h.Reg(RegInterruptStatus));   // QEMU raises nothing for a legacy device
            Assert.False(h.Irq.Level);
        }
        Assert.Equal(ram, h.Read(RamBase, (int)RamSize));   // not a byte written: no data, status, used entry
        Assert.True(h.Slot.IsBroken);
        Assert.Equal(1, h.Slot.Counters.Single(c => c.Name == "errors (device needs reset)").Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ABrokenDeviceProcessesNothingUntilResetAndWorksAfterIt(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        h.SetDesc(0, h.Header(VirtioBlock.TypeIn, 0), 16, VirtqFlags.DescNext, 0);   // a self-loop
        h.Offer(0);
        h.Kick();
        Assert.True(h.Slot.IsBroken);

        var later = h.Request(VirtioBlock.TypeIn, 0, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(0xff, h.StatusOf(later));
        Assert.Equal((ushort)0, h.UsedIdx);
        h.SetReg(RegStatus, VirtioStatus.Acknowledge | VirtioStatus.Driver | VirtioStatus.DriverOk);
        Assert.NotEqual(0u, h.Reg(RegStatus) & VirtioStatus.NeedsReset);   // the driver cannot clear it

        h.SetReg(RegStatus, 0);
        Assert.Equal(0u, h.Reg(RegStatus));
        Assert.False(h.Slot.IsBroken);
        h.Init(version);
        var fresh = h.Request(VirtioBlock.TypeIn, 2, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(fresh));
        Assert.Equal(h.DiskBytes(2, 512), h.Read(fresh.Data, 512));
    }

    [Fact]
    public void MoreElementsInFlightThanTheQueueSizeIsVirtqueueSizeExceeded()
    {
        var h = new VirtioHarness(2, queueSize: 4);
        h.Init(2);
        // Three flushes share one status descriptor; head 0 is offered twice, so four are in flight.
        ulong status = h.Buffer(1, 0xff);
        for (int i = 0; i < 3; i++) h.SetDesc(i, h.Header(VirtioBlock.TypeFlush, 0), 16, VirtqFlags.DescNext, 3);
        h.SetDesc(3, status, 1, VirtqFlags.DescWrite);
        foreach (ushort head in new ushort[] { 0, 1, 2, 0 }) h.Offer(head);
        h.Kick();
        Assert.False(h.Slot.IsBroken);
        Assert.Equal(4, h.Block!.InFlight);
        h.Offer(1);
        h.Kick();
        Assert.True(h.Slot.IsBroken);
        Assert.Contains("Virtqueue size exceeded", h.Trace.ToString());
    }
}
