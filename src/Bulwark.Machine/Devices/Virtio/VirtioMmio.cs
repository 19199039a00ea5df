using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Devices.Virtio;

/// <summary>A virtio-mmio transport slot as on QEMU's virt board: a 0x200-byte window, version 1
/// (legacy: GuestPageSize/QueueAlign/QueuePFN; what QEMU's virt board gives by default and what xv6-style
/// drivers speak) or version 2 (QueueReady, QueueDesc/Driver/Device, the FEATURES_OK handshake,
/// VERSION_1 offered). Without a device it is an empty slot: MagicValue, Version and VendorID read as
/// usual, DeviceID and everything else read 0, writes are ignored (QEMU's "no backend").
///
/// Like QEMU, registers below the config space take 32-bit accesses only (narrower ones read 0 and are
/// ignored, with a trace line); an 8-byte access is two 32-bit ones; a misaligned access faults. The
/// config space at 0x100 is byte-addressable and reads all-ones past its end.
///
/// Failure (<see cref="Fail"/>): the device is broken until reset — nothing is popped or completed —
/// and Status reads DEVICE_NEEDS_RESET. With version 2 and DRIVER_OK the driver also gets a
/// configuration-change interrupt, as QEMU does for a VERSION_1 device; with version 1 QEMU raises
/// nothing and shows no status bit, and neither do we raise anything, but the status bit is set so a
/// monitor polling Status can see the device stopped.</summary>
public sealed class VirtioMmio : IMmioDevice, IDeviceCounters, IVirtioTransport, IDmaFootprint
{
    public const ulong WindowSize = 0x200;
    public const uint MagicValue = 0x74726976;     // "virt"
    public const uint QemuVendorId = 0x554d4551;   // "QEMU"
    public const ulong ConfigOffset = 0x100;

    private readonly IVirtioDevice? _device;
    private readonly IInterruptLine? _irq;
    private readonly RegisterMap _registers;
    private readonly SplitVirtqueue[] _queues;
    private readonly PendingQueue[] _pending;
    private bool _irqLevel;

    // Driver-visible state (QEMU's VirtIODevice and VirtIOMMIOProxy).
    private uint _status;
    private uint _interruptStatus;
    private uint _configGeneration;
    private uint _deviceFeaturesSel;
    private uint _driverFeaturesSel;
    private readonly uint[] _driverFeatures = new uint[2];
    private uint _queueSel;
    private int _guestPageShift;
    private readonly uint[] _queueAlign;

    private long _interrupts, _errors, _resets;

    /// <summary>A slot named <paramref name="name"/> (e.g. "virtio0") carrying <paramref name="device"/>
    /// (null: empty slot), speaking virtio-mmio <paramref name="version"/> 1 or 2, wired to
    /// <paramref name="irq"/>. Map it with <c>machine.Bus.Map(address, slot)</c>.</summary>
    public VirtioMmio(Machine machine, string name, int version, IVirtioDevice? device, IInterruptLine? irq)
    {
        if (version is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(version), "virtio-mmio version is 1 or 2");
        Name = name;
        Version = version;
        Clock = machine.Clock;
        Trace = machine.DeviceTrace;
        Dma = machine.Bus.CreateDmaPort(name);
        _device = device;
        _irq = irq;
        int count = device?.QueueCount ?? 0;
        _queues = new SplitVirtqueue[count];
        _pending = new PendingQueue[count];
        _queueAlign = new uint[count];
        for (int i = 0; i < count; i++)
        {
            _queues[i] = new SplitVirtqueue(i, device!.DefaultQueueSize, machine.Bus, Dma, Fail);
            _queueAlign[i] = LegacyDefaultAlign;
        }
        _registers = new RegisterMap(name, Trace) { WholeRegistersOnly = true };
        if (device == null) DefineEmptySlot();
        else if (version == 1) DefineLegacy();
        else DefineModern();
        device?.Attach(this);
    }

    public string Name { get; }
    public int Version { get; }
    public ulong Size => WindowSize;
    public DmaPort Dma { get; }
    public VirtualClock Clock { get; }
    public DeviceTrace Trace { get; }
    public bool IsBroken { get; private set; }

    /// <summary>The Status register as the driver reads it.</summary>
    public uint Status => _status;

    public uint InterruptStatus => _interruptStatus;

    /// <summary>Features both sides agreed on (version 1: what the driver wrote, masked by the offer;
    /// version 2: fixed when FEATURES_OK sticks).</summary>
    public ulong NegotiatedFeatures { get; private set; }

    /// <summary>What DeviceFeatures offers: the device's bits, plus VERSION_1 on a version 2 transport.
    /// A version 1 transport shows only the low 32 bits, as QEMU's legacy virtio-mmio.</summary>
    public ulong OfferedFeatures => _device == null ? 0
        : Version == 2 ? _device.Features | VirtioFeature.Version1 : _device.Features & 0xffff_ffff;

    public IReadOnlyList<SplitVirtqueue> Queues => _queues;

    /// <summary>Every live queue's rings and available chains, and the buffers of every request in flight.
    /// A broken device touches nothing more until it is reset.</summary>
    public void AddFootprint(List<DeviceRange> into)
    {
        if (_device == null || IsBroken) return;
        foreach (var queue in _queues) queue.AddFootprint(into);
        foreach (var element in _device.InFlightElements)
        {
            string what = $"request in flight at head {element.Head}";
            foreach (var b in element.Readable) into.Add(DeviceRange.Of(b.Address, b.Length, false, what));
            foreach (var b in element.Writable) into.Add(DeviceRange.Of(b.Address, b.Length, true, what));
        }
    }

    /// <summary>QEMU's VIRTIO_PCI_VRING_ALIGN, the legacy ring alignment before QueueAlign is written.</summary>
    private const uint LegacyDefaultAlign = 4096;

    // ---- registers -------------------------------------------------------------------------------

    private void DefineCommon()
    {
        _registers
            .Define32(0x000, "MagicValue", () => MagicValue)
            .Define32(0x004, "Version", () => (uint)Version)
            .Define32(0x008, "DeviceID", () => _device!.DeviceId)
            .Define32(0x00c, "VendorID", () => QemuVendorId)
            .Define32(0x010, "DeviceFeatures", ReadDeviceFeatures)
            .Define32(0x014, "DeviceFeaturesSel", write: v => _deviceFeaturesSel = v == 0 ? 0u : 1u)
            .Define32(0x020, "DriverFeatures", write: WriteDriverFeatures)
            .Define32(0x024, "DriverFeaturesSel", write: v => _driverFeaturesSel = v == 0 ? 0u : 1u)
            .Define32(0x030, "QueueSel", write: v => { if (v < SplitVirtqueue.MaxSize) _queueSel = v; })
            .Define32(0x034, "QueueNumMax", () => SelectedQueue == null ? 0u : SplitVirtqueue.MaxSize)
            .Define32(0x038, "QueueNum", write: WriteQueueNum)
            .Define32(0x050, "QueueNotify", write: Notify)
            .Define32(0x060, "InterruptStatus", () => _interruptStatus)
            .Define32(0x064, "InterruptACK", write: v => SetInterruptStatus(_interruptStatus & ~v))
            .Define32(0x070, "Status", () => _status, WriteStatus)
            .Define32(0x0b0, "SHMLenLow", () => 0xffff_ffff)    // QEMU: no shared memory regions
            .Define32(0x0b4, "SHMLenHigh", () => 0xffff_ffff);
    }

    private void DefineLegacy()
    {
        DefineCommon();
        _registers
            .Define32(0x028, "GuestPageSize", write: WriteGuestPageSize)
            .Define32(0x03c, "QueueAlign", write: WriteQueueAlign)
            .Define32(0x040, "QueuePFN", ReadQueuePfn, WriteQueuePfn);
    }

    private void DefineModern()
    {
        DefineCommon();
        _registers
            .Define32(0x044, "QueueReady", () => SelectedQueue?.IsLive == true ? 1u : 0u, WriteQueueReady)
            .Define32(0x080, "QueueDescLow", write: v => SetPending(p => p with { Desc = Low(p.Desc, v) }))
            .Define32(0x084, "QueueDescHigh", write: v => SetPending(p => p with { Desc = High(p.Desc, v) }))
            .Define32(0x090, "QueueDriverLow", write: v => SetPending(p => p with { Driver = Low(p.Driver, v) }))
            .Define32(0x094, "QueueDriverHigh", write: v => SetPending(p => p with { Driver = High(p.Driver, v) }))
            .Define32(0x0a0, "QueueDeviceLow", write: v => SetPending(p => p with { Device = Low(p.Device, v) }))
            .Define32(0x0a4, "QueueDeviceHigh", write: v => SetPending(p => p with { Device = High(p.Device, v) }))
            .Define32(0x0ac, "SHMSel")
            .Define32(0x0fc, "ConfigGeneration", () => _configGeneration);
    }

    private void DefineEmptySlot() =>
        _registers
            .Define32(0x000, "MagicValue", () => MagicValue)
            .Define32(0x004, "Version", () => (uint)Version)
            .Define32(0x008, "DeviceID", () => 0)
            .Define32(0x00c, "VendorID", () => QemuVendorId);

    private SplitVirtqueue? SelectedQueue => _queueSel < _queues.Length ? _queues[_queueSel] : null;

    private uint ReadDeviceFeatures()
    {
        if (Version == 1) return _deviceFeaturesSel == 0 ? (uint)OfferedFeatures : 0;
        return (uint)(OfferedFeatures >> (32 * (int)_deviceFeaturesSel));
    }

    private void WriteDriverFeatures(uint value)
    {
        if (Version == 2)
        {
            _driverFeatures[_driverFeaturesSel] = value;
            return;
        }
        // Legacy: the driver's word takes effect at once (QEMU's virtio_set_features).
        if (_driverFeaturesSel != 0)
        {
            Trace.Line(Name, "legacy DriverFeatures written with DriverFeaturesSel != 0 (ignored)");
            return;
        }
        if ((_status & VirtioStatus.FeaturesOk) != 0) return;
        SetNegotiated(value & OfferedFeatures);
    }

    private void SetNegotiated(ulong features)
    {
        NegotiatedFeatures = features;
        foreach (var q in _queues) q.EventIdx = (features & VirtioFeature.EventIdx) != 0;
    }

    private void WriteStatus(uint value)
    {
        value &= 0xff;
        if (value == 0)
        {
            Reset();
            return;
        }
        if (Version == 2 && (value & VirtioStatus.FeaturesOk) != 0 && (_status & VirtioStatus.FeaturesOk) == 0)
        {
            ulong wanted = (ulong)_driverFeatures[1] << 32 | _driverFeatures[0];
            ulong unsupported = wanted & ~OfferedFeatures;
            if (unsupported != 0 || (wanted & VirtioFeature.Version1) == 0)
            {
                // The spec's MUST: FEATURES_OK does not stick for a set the device does not accept. (QEMU
                // masks unoffered bits and accepts; a driver re-reading Status is what the spec asks.)
                Trace.Line(Name, unsupported != 0
                    ? $"FEATURES_OK refused: features 0x{unsupported:x} were not offered"
                    : "FEATURES_OK refused: VERSION_1 not accepted on a version 2 transport");
                value &= ~VirtioStatus.FeaturesOk;
            }
            else SetNegotiated(wanted);
        }
        _status = (value & ~VirtioStatus.NeedsReset) | (IsBroken ? VirtioStatus.NeedsReset : 0);
    }

    private void WriteQueueNum(uint value)
    {
        var q = SelectedQueue;
        if (q == null) return;
        if (Version == 2)
        {
            _pending[q.Index] = _pending[q.Index] with { Num = value };
            return;
        }
        q.SetSize(value);
        UpdateLegacyRings(q);
    }

    // Legacy queue placement: desc at PFN × GuestPageSize, avail right after it, used at the next
    // QueueAlign boundary after avail (used_event included, as the spec's legacy layout and Linux's
    // vring_size have it; QEMU leaves those 2 bytes out, which only differs for tiny alignments).
    private void WriteGuestPageSize(uint value)
    {
        _guestPageShift = value == 0 ? 0 : System.Numerics.BitOperations.TrailingZeroCount(value);
    }

    private void WriteQueueAlign(uint value)
    {
        var q = SelectedQueue;
        if (q == null) return;
        _queueAlign[q.Index] = value;
        UpdateLegacyRings(q);
    }

    private uint ReadQueuePfn() => SelectedQueue is { } q ? (uint)(q.DescAddress >> _guestPageShift) : 0;

    private void WriteQueuePfn(uint value)
    {
        var q = SelectedQueue;
        if (q == null) return;
        if (value == 0)
        {
            Reset();   // QEMU: a zero PFN resets the whole device
            return;
        }
        _pending[q.Index] = _pending[q.Index] with { Desc = (ulong)value << _guestPageShift };
        UpdateLegacyRings(q);
    }

    private void UpdateLegacyRings(SplitVirtqueue q)
    {
        ulong desc = _pending[q.Index].Desc;
        uint align = _queueAlign[q.Index];
        if (desc == 0 || align == 0) return;   // not set up yet
        ulong avail = desc + 16 * (ulong)q.Size;
        ulong usedStart = avail + SplitVirtqueue.AvailRingBytes(q.Size);
        ulong used = (usedStart + align - 1) / align * align;
        if (q.IsLive) q.Deactivate();
        q.Activate(desc, avail, used);
    }

    private void WriteQueueReady(uint value)
    {
        var q = SelectedQueue;
        if (q == null) return;
        if (value == 0)
        {
            if (q.IsLive) q.Deactivate();
            return;
        }
        var p = _pending[q.Index];
        q.SetSize(p.Num);
        if (q.IsLive) q.Deactivate();
        q.Activate(p.Desc, p.Driver, p.Device);
    }

    private void SetPending(Func<PendingQueue, PendingQueue> change)
    {
        if (SelectedQueue is { } q) _pending[q.Index] = change(_pending[q.Index]);
    }

    private static ulong Low(ulong old, uint v) => (old & 0xffff_ffff_0000_0000) | v;
    private static ulong High(ulong old, uint v) => (old & 0xffff_ffff) | (ulong)v << 32;

    /// <summary>What the driver wrote for a queue before making it ready (version 2), or its PFN (version 1).</summary>
    private readonly record struct PendingQueue(uint Num, ulong Desc, ulong Driver, ulong Device);

    // ---- notify, completion, interrupts ------------------------------------------------------------

    private void Notify(uint value)
    {
        if (value >= _queues.Length) return;
        var q = _queues[value];
        if (IsBroken || !q.IsLive) return;
        if ((_status & VirtioStatus.DriverOk) == 0)
        {
            // The spec forbids consuming buffers before DRIVER_OK (QEMU's virtio-blk would go ahead).
            Trace.Line(Name, $"notify of queue {value} before DRIVER_OK (ignored)");
            return;
        }
        _device!.Notify(q);
    }

    public void Complete(SplitVirtqueue queue, VirtqueueElement element, uint writtenLength, bool failed = false)
    {
        if (IsBroken || !queue.IsCurrent(element))
        {
            Requests?.Dropped(this, queue.Index, element, IsBroken ? "the device is broken" : "the queue was reset or disabled");
            return;
        }
        if (!queue.Push(element, writtenLength, out bool notify))
        {
            Requests?.Dropped(this, queue.Index, element, "the used ring could not be written");
            return;
        }
        Requests?.Published(this, queue.Index, element, writtenLength, failed);
        if (notify && !IsBroken) RaiseInterrupt(VirtioInterrupt.UsedBuffer);
    }

    /// <summary>Who follows this slot's requests from pop to completion (a kernel's DMA bookkeeping), if anyone.</summary>
    public IVirtioRequestObserver? Requests { get; set; }

    public void Popped(SplitVirtqueue queue, VirtqueueElement element) => Requests?.Popped(this, queue.Index, element);

    public void Dropped(SplitVirtqueue queue, VirtqueueElement element, string why) => Requests?.Dropped(this, queue.Index, element, why);

    /// <summary>Pops what the driver has made available on every live queue now, as a notify would (a
    /// device may look at its available rings without being notified; a kernel does this before it fails
    /// the requests that touch memory it takes away, so that none is popped later). False if the device
    /// cannot pop (no DRIVER_OK, broken, no device).</summary>
    public bool PopAvailable()
    {
        if (_device == null || IsBroken || (_status & VirtioStatus.DriverOk) == 0) return false;
        foreach (var q in _queues)
            if (q.IsLive && !IsBroken) _device.Notify(q);
        return true;
    }

    /// <summary>Fails the requests in flight that <paramref name="which"/> picks (see <see cref="IVirtioDevice.FailInFlight"/>).</summary>
    public int FailRequests(Func<VirtqueueElement, bool> which, Func<ulong, bool> mayWriteStatus) =>
        _device == null || IsBroken ? 0 : _device.FailInFlight(which, mayWriteStatus);

    /// <summary>QEMU's virtio_error: logs <paramref name="message"/> to the device trace, marks the device
    /// broken (nothing more is popped or completed until reset) and sets DEVICE_NEEDS_RESET; a version 2
    /// device with DRIVER_OK also raises a configuration-change interrupt.</summary>
    public void Fail(string message)
    {
        _errors++;
        Trace.Line(Name, message);
        if (IsBroken) return;
        IsBroken = true;
        _status |= VirtioStatus.NeedsReset;
        if (Version == 2 && (_status & VirtioStatus.DriverOk) != 0)
        {
            // QEMU's virtio_notify_config sets ISR to 0x3 (both bits) and bumps the config generation.
            _configGeneration++;
            RaiseInterrupt(VirtioInterrupt.UsedBuffer | VirtioInterrupt.ConfigChange);
        }
    }

    private void RaiseInterrupt(uint bits)
    {
        _interrupts++;
        SetInterruptStatus(_interruptStatus | bits);
    }

    private void SetInterruptStatus(uint value)
    {
        _interruptStatus = value;
        bool level = value != 0;
        if (level == _irqLevel) return;
        _irqLevel = level;
        _irq?.Set(level);
    }

    /// <summary>Status ← 0 (or a zero legacy PFN): the device drops everything it has in flight, so no
    /// request of the old generation ever reaches RAM, and forgets status, features and queues. (QEMU
    /// instead drains: in-flight requests complete into the old rings during the reset write. Either
    /// way nothing is written once Status reads 0.) Feature selectors and the legacy page size stay,
    /// as in QEMU.</summary>
    public void Reset()
    {
        _resets++;
        _device?.Reset();
        foreach (var q in _queues) q.Reset();
        Array.Clear(_pending);
        Array.Fill(_queueAlign, LegacyDefaultAlign);
        IsBroken = false;
        _status = 0;
        _driverFeatures[0] = _driverFeatures[1] = 0;
        NegotiatedFeatures = 0;
        _queueSel = 0;
        SetInterruptStatus(0);
        if (Trace.Enabled) Trace.Line(Name, "reset");
    }

    // ---- the window ------------------------------------------------------------------------------------

    public bool Read(ulong offset, int size, out ulong value)
    {
        value = 0;
        if (offset % (ulong)size != 0 || offset + (ulong)size > WindowSize) return false;
        if (offset >= ConfigOffset) return ReadConfig(offset - ConfigOffset, size, out value);
        if (size == 8)
        {
            _registers.Read(offset, 4, out ulong low);
            _registers.Read(offset + 4, 4, out ulong high);
            value = low | high << 32;
            return true;
        }
        return _registers.Read(offset, size, out value);
    }

    public bool Write(ulong offset, int size, ulong value)
    {
        if (offset % (ulong)size != 0 || offset + (ulong)size > WindowSize) return false;
        if (offset >= ConfigOffset) return true;   // virtio-blk's config is read-only here (no CONFIG_WCE)
        if (size == 8)
        {
            _registers.Write(offset, 4, value & 0xffff_ffff);
            return _registers.Write(offset + 4, 4, value >> 32);
        }
        return _registers.Write(offset, size, value);
    }

    private bool ReadConfig(ulong offset, int size, out ulong value)
    {
        value = 0;
        if (_device == null) return true;
        var config = _device.Config;
        for (int i = size - 1; i >= 0; i--)
        {
            ulong at = offset + (ulong)i;
            byte b = at < (ulong)config.Length ? config[(int)at] : (byte)0xff;
            value = value << 8 | b;
        }
        return true;
    }

    public IEnumerable<(string Name, long Value)> Counters
    {
        get
        {
            yield return ("interrupts", _interrupts);
            yield return ("errors (device needs reset)", _errors);
            yield return ("resets", _resets);
            yield return ("DMA bytes read", Dma.BytesRead);
            yield return ("DMA bytes written", Dma.BytesWritten);
            yield return ("DMA accesses refused", Dma.Refused);
            if (_device is IDeviceCounters device)
                foreach (var c in device.Counters) yield return c;
        }
    }
}
