using System.Buffers.Binary;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Devices.Virtio;

/// <summary>One split virtqueue (virtio 1.2 §2.7) seen from the device: a descriptor table of
/// <see cref="Size"/> 16-byte entries, the driver's available ring and the device's used ring. Every
/// access goes through the device's <see cref="DmaPort"/>. A malformed chain is reported through the
/// failure callback with QEMU's virtio_error wording (the transport then marks the device broken) and
/// nothing of it is written; walks are bounded by the table sizes, so a looping chain cannot hang the
/// host.</summary>
public sealed class SplitVirtqueue
{
    /// <summary>QEMU's VIRTQUEUE_MAX_SIZE: the largest QueueNum it accepts and what QueueNumMax reads.</summary>
    public const ushort MaxSize = 1024;

    private const int DescriptorBytes = 16;

    private readonly PhysicalBus _bus;
    private readonly DmaPort _dma;
    private readonly Action<string> _fail;
    private ushort _signalledUsed;
    private bool _signalledUsedValid;

    public SplitVirtqueue(int index, ushort defaultSize, PhysicalBus bus, DmaPort dma, Action<string> fail)
    {
        Index = index;
        DefaultSize = defaultSize;
        _bus = bus;
        _dma = dma;
        _fail = fail;
        Size = defaultSize;
    }

    public int Index { get; }
    public ushort DefaultSize { get; }
    public ushort Size { get; private set; }
    public ulong DescAddress { get; private set; }
    public ulong DriverAddress { get; private set; }
    public ulong DeviceAddress { get; private set; }

    /// <summary>Whether the rings are placed and the device may use them.</summary>
    public bool IsLive { get; private set; }

    /// <summary>Bumped by <see cref="Reset"/> and <see cref="Deactivate"/>: elements popped under an older
    /// generation must never be completed.</summary>
    public long Generation { get; private set; }

    /// <summary>VIRTIO_RING_F_EVENT_IDX was negotiated.</summary>
    public bool EventIdx { get; set; }

    /// <summary>The next available-ring entry the device will pop (free-running).</summary>
    public ushort LastAvailIdx { get; private set; }

    /// <summary>The used index the device last published (free-running).</summary>
    public ushort UsedIdx { get; private set; }

    /// <summary>Elements popped and not yet used (QEMU's inuse).</summary>
    public int InFlight { get; private set; }

    /// <summary>Sets the queue size while the queue is not live (QEMU ignores 0 and sizes above
    /// <see cref="MaxSize"/>).</summary>
    public void SetSize(uint size)
    {
        if (size == 0 || size > MaxSize) return;
        Size = (ushort)size;
    }

    /// <summary>Places the rings and makes the queue live. Like QEMU's region caches, the rings must lie in
    /// RAM: otherwise this reports "Cannot map desc/avail/used" and the queue stays dead.</summary>
    public bool Activate(ulong desc, ulong driver, ulong device)
    {
        DescAddress = desc;
        DriverAddress = driver;
        DeviceAddress = device;
        IsLive = false;
        if (!_bus.IsRam(desc, DescriptorBytes * (ulong)Size)) return Fail("Cannot map desc");
        if (!_bus.IsRam(device, UsedRingBytes(Size))) return Fail("Cannot map used");
        if (!_bus.IsRam(driver, AvailRingBytes(Size))) return Fail("Cannot map avail");
        IsLive = true;
        return true;
    }

    /// <summary>QueueReady ← 0: the device stops using the queue; elements in flight are dropped.</summary>
    public void Deactivate()
    {
        IsLive = false;
        InFlight = 0;
        Generation++;
    }

    /// <summary>Device reset: the queue forgets its rings, indices and everything in flight.</summary>
    public void Reset()
    {
        Size = DefaultSize;
        DescAddress = DriverAddress = DeviceAddress = 0;
        IsLive = false;
        EventIdx = false;
        LastAvailIdx = UsedIdx = 0;
        InFlight = 0;
        _signalledUsed = 0;
        _signalledUsedValid = false;
        Generation++;
    }

    /// <summary>Bytes of an available ring of <paramref name="size"/> entries, used_event included.</summary>
    public static ulong AvailRingBytes(ushort size) => 6 + 2 * (ulong)size;

    /// <summary>Bytes of a used ring of <paramref name="size"/> entries, avail_event included.</summary>
    public static ulong UsedRingBytes(ushort size) => 6 + 8 * (ulong)size;

    public bool IsCurrent(VirtqueueElement element) => IsLive && element.Generation == Generation;

    /// <summary>Takes the next available chain, or null when there is none or it is malformed (then the
    /// failure callback has been told why). Only descriptors and rings are read here; the buffers are
    /// checked to lie in RAM but their bytes are left to the device.</summary>
    public VirtqueueElement? Pop()
    {
        if (!IsLive) return null;
        if (!ReadU16(DriverAddress + 2, out ushort availIdx)) return FailNull("Cannot map avail");
        ushort pending = (ushort)(availIdx - LastAvailIdx);
        if (pending > Size) return FailNull($"Guest moved used index from {LastAvailIdx} to {availIdx}");
        if (pending == 0) return null;
        if (InFlight >= Size) return FailNull("Virtqueue size exceeded");
        if (!ReadU16(DriverAddress + 4 + 2 * (ulong)(LastAvailIdx % Size), out ushort head)) return FailNull("Cannot map avail");
        LastAvailIdx++;
        if (head >= Size) return FailNull($"Guest says index {head} is available");
        // The chain's descriptors are read for this request: a monitor's log attributes them to it.
        using var tag = _dma.For(new DmaRequest(Index, head));
        var element = WalkChain(head);
        if (element != null) InFlight++;
        return element;
    }

    /// <summary>Follows the chain from <paramref name="head"/>: zero or more direct descriptors, possibly
    /// ending in one that points to an indirect table (virtio 1.2 §2.7.5.3.2). Each table is walked at
    /// most as many steps as it has entries.</summary>
    private VirtqueueElement? WalkChain(ushort head)
    {
        var readable = new List<VirtqBuffer>();
        var writable = new List<VirtqBuffer>();
        ulong table = DescAddress;
        uint entries = Size;
        uint index = head;
        uint walked = 0;
        bool indirect = false;
        // At most Size direct descriptors and one table of at most Size entries; the walk can never
        // take more steps than that, whatever the checks below let through.
        for (uint steps = 0; ; steps++)
        {
            if (steps > 2 * (uint)Size + 1) return FailNull("Looped descriptor");
            if (!ReadDescriptor(table, index, out var d))
                return FailNull(indirect ? "Cannot map indirect buffer" : "Cannot map descriptor ring");
            if ((d.Flags & VirtqFlags.DescIndirect) != 0)
            {
                if (indirect) return FailNull($"Nested indirect descriptor: idx {index}");
                if ((d.Flags & VirtqFlags.DescNext) != 0) return FailNull($"Indirect descriptor {index} also has NEXT");
                if (d.Length == 0 || d.Length % DescriptorBytes != 0) return FailNull("Invalid size for indirect buffer table");
                if (d.Length / DescriptorBytes > Size) return FailNull($"Indirect buffer length too big: {d.Length}");
                if (!_bus.IsRam(d.Address, d.Length)) return FailNull("Cannot map indirect buffer");
                table = d.Address;
                entries = d.Length / DescriptorBytes;
                index = 0;
                walked = 0;
                indirect = true;
                continue;
            }
            if (d.Length == 0) return FailNull("virtio: zero sized buffers are not allowed");
            if (!_bus.IsRam(d.Address, d.Length)) return FailNull("virtio: bogus descriptor or out of resources");
            if ((d.Flags & VirtqFlags.DescWrite) != 0) writable.Add(new VirtqBuffer(d.Address, d.Length));
            else if (writable.Count > 0) return FailNull("Incorrect order for descriptors");
            else readable.Add(new VirtqBuffer(d.Address, d.Length));
            if (++walked > entries) return FailNull("Looped descriptor");
            if ((d.Flags & VirtqFlags.DescNext) == 0) break;
            if (d.Next >= entries) return FailNull($"Desc next is {d.Next}");
            index = d.Next;
        }
        var element = new VirtqueueElement(head, [.. readable], [.. writable], Generation);
        if (element.ReadableBytes > uint.MaxValue || element.WritableBytes > uint.MaxValue)
            return FailNull("Descriptor chain longer than 2^32 bytes");
        return element;
    }

    /// <summary>Writes the used element and the new used index, then says whether the driver wants an
    /// interrupt for it: avail.flags NO_INTERRUPT, or with EVENT_IDX the used_event rule
    /// (virtio 1.2 §2.7.10). False when the used ring could not be written (reported).</summary>
    public bool Push(VirtqueueElement element, uint writtenLength, out bool notify)
    {
        notify = false;
        using var tag = _dma.For(new DmaRequest(Index, element.Head));
        ushort old = UsedIdx;
        Span<byte> entry = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(entry, element.Head);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], writtenLength);
        if (!_dma.Write(DeviceAddress + 4 + 8 * (ulong)(old % Size), entry)) return Fail("Cannot map used");
        ushort now = (ushort)(old + 1);
        if (!WriteU16(DeviceAddress + 2, now)) return Fail("Cannot map used");
        UsedIdx = now;
        InFlight--;
        // The last signalled index fell a whole wrap behind: the next decision must not rely on it.
        if ((short)(ushort)(now - _signalledUsed) < (ushort)(now - old)) _signalledUsedValid = false;
        return ShouldNotify(out notify);
    }

    private bool ShouldNotify(out bool notify)
    {
        notify = false;
        if (!EventIdx)
        {
            if (!ReadU16(DriverAddress, out ushort flags)) return Fail("Cannot map avail");
            notify = (flags & VirtqFlags.AvailNoInterrupt) == 0;
            return true;
        }
        if (!ReadU16(DriverAddress + 4 + 2 * (ulong)Size, out ushort usedEvent)) return Fail("Cannot map avail");
        bool valid = _signalledUsedValid;
        ushort old = _signalledUsed;
        _signalledUsedValid = true;
        _signalledUsed = UsedIdx;
        notify = !valid || (ushort)(UsedIdx - usedEvent - 1) < (ushort)(UsedIdx - old);
        return true;
    }

    /// <summary>With EVENT_IDX, tells the driver (avail_event) to notify again once it makes the entry
    /// after the last one popped available.</summary>
    public void PublishAvailEvent()
    {
        if (!IsLive || !EventIdx) return;
        if (!WriteU16(DeviceAddress + 4 + 8 * (ulong)Size, LastAvailIdx)) Fail("Cannot map used");
    }

    /// <summary>Adds what this queue lets the device touch from now on, read from RAM as a kernel would
    /// read the driver's rings (not through the device's DMA port): the three rings and every descriptor,
    /// indirect table and buffer of each chain the driver has made available and the device not yet
    /// popped. Walks are bounded as in <see cref="Pop"/>; a malformed chain adds what was reached before
    /// the fault (the device would stop there), and more entries than the ring holds are read as a full ring.</summary>
    public void AddFootprint(List<DeviceRange> into)
    {
        if (!IsLive) return;
        string queue = $"queue {Index}";
        into.Add(DeviceRange.Of(DescAddress, DescriptorBytes * (ulong)Size, false, queue + " descriptor table"));
        into.Add(DeviceRange.Of(DriverAddress, AvailRingBytes(Size), false, queue + " available ring"));
        into.Add(DeviceRange.Of(DeviceAddress, UsedRingBytes(Size), true, queue + " used ring"));
        if (!PeekU16(DriverAddress + 2, out ushort availIdx)) return;
        int pending = Math.Min((ushort)(availIdx - LastAvailIdx), Size);
        for (int k = 0; k < pending; k++)
        {
            if (!PeekU16(DriverAddress + 4 + 2 * (ulong)((ushort)(LastAvailIdx + k) % Size), out ushort head) || head >= Size) continue;
            AddChain(head, $"{queue} available chain at head {head}", into);
        }
    }

    private void AddChain(ushort head, string what, List<DeviceRange> into)
    {
        ulong table = DescAddress;
        uint entries = Size, index = head;
        bool indirect = false;
        for (uint steps = 0; steps <= 2 * (uint)Size + 1; steps++)
        {
            if (index >= entries || !PeekDescriptor(table, index, out var d)) return;
            if ((d.Flags & VirtqFlags.DescIndirect) != 0)
            {
                if (indirect || d.Length % DescriptorBytes != 0) return;
                into.Add(DeviceRange.Of(d.Address, d.Length, false, what + ", indirect table"));
                table = d.Address;
                entries = Math.Min(d.Length / DescriptorBytes, (uint)Size);
                index = 0;
                indirect = true;
                continue;
            }
            into.Add(DeviceRange.Of(d.Address, d.Length, (d.Flags & VirtqFlags.DescWrite) != 0, what));
            if ((d.Flags & VirtqFlags.DescNext) == 0) return;
            index = d.Next;
        }
    }

    private bool PeekDescriptor(ulong table, uint index, out Descriptor descriptor)
    {
        Span<byte> raw = stackalloc byte[DescriptorBytes];
        descriptor = default;
        ulong at = table + DescriptorBytes * (ulong)index;
        if (!_bus.IsRam(at, DescriptorBytes)) return false;
        _bus.Ram.Read(at, raw);
        descriptor = Descriptor.Decode(raw);
        return true;
    }

    private bool PeekU16(ulong pa, out ushort value)
    {
        Span<byte> raw = stackalloc byte[2];
        value = 0;
        if (!_bus.IsRam(pa, 2)) return false;
        _bus.Ram.Read(pa, raw);
        value = BinaryPrimitives.ReadUInt16LittleEndian(raw);
        return true;
    }

    private readonly record struct Descriptor(ulong Address, uint Length, ushort Flags, ushort Next)
    {
        /// <summary>A descriptor as the driver laid it out in RAM (virtio 1.x §2.7.5, little-endian).</summary>
        public static Descriptor Decode(ReadOnlySpan<byte> raw) => new(
            BinaryPrimitives.ReadUInt64LittleEndian(raw),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[8..]),
            BinaryPrimitives.ReadUInt16LittleEndian(raw[12..]),
            BinaryPrimitives.ReadUInt16LittleEndian(raw[14..]));
    }

    private bool ReadDescriptor(ulong table, uint index, out Descriptor descriptor)
    {
        Span<byte> raw = stackalloc byte[DescriptorBytes];
        descriptor = default;
        if (!_dma.Read(table + DescriptorBytes * (ulong)index, raw)) return false;
        descriptor = Descriptor.Decode(raw);
        return true;
    }

    private bool ReadU16(ulong pa, out ushort value)
    {
        Span<byte> raw = stackalloc byte[2];
        value = 0;
        if (!_dma.Read(pa, raw)) return false;
        value = BinaryPrimitives.ReadUInt16LittleEndian(raw);
        return true;
    }

    private bool WriteU16(ulong pa, ushort value)
    {
        Span<byte> raw = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(raw, value);
        return _dma.Write(pa, raw);
    }

    private bool Fail(string message)
    {
        _fail(message);
        return false;
    }

    private VirtqueueElement? FailNull(string message)
    {
        _fail(message);
        return null;
    }
}
