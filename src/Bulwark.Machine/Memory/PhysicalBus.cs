using Bulwark.Machine.Devices;

namespace Bulwark.Machine.Memory;

/// <summary>The physical address space: RAM plus device windows at fixed addresses. Harts reach RAM
/// through their TLBs and devices through <see cref="TryRead"/>/<see cref="TryWrite"/>; an address that
/// is neither is an access fault. Devices reach RAM only through a <see cref="DmaPort"/>.</summary>
public sealed class PhysicalBus(PhysicalMemory ram)
{
    public readonly record struct Mapping(ulong Address, IMmioDevice Device)
    {
        public ulong End => Address + Device.Size;
    }

    private Mapping[] _devices = [];

    public PhysicalMemory Ram { get; } = ram;

    public IReadOnlyList<Mapping> Devices => _devices;

    /// <summary>Checks every device access to RAM (issue 9 hooks ownership checks here); null allows all.</summary>
    public IDmaMonitor? DmaMonitor { get; set; }

    /// <summary>Places <paramref name="device"/>'s window at <paramref name="address"/>.</summary>
    public void Map(ulong address, IMmioDevice device)
    {
        ulong end = address + device.Size;
        if (device.Size == 0 || end < address) throw new ArgumentException($"{device.Name}: empty or wrapping window");
        if (address < Ram.BaseAddress + Ram.Size && Ram.BaseAddress < end)
            throw new ArgumentException($"{device.Name} at 0x{address:x} overlaps RAM");
        foreach (var m in _devices)
            if (address < m.End && m.Address < end) throw new ArgumentException($"{device.Name} at 0x{address:x} overlaps {m.Device.Name}");
        _devices = [.. _devices, new Mapping(address, device)];
        Array.Sort(_devices, (a, b) => a.Address.CompareTo(b.Address));
    }

    /// <summary>A hart's load from a device; false if no device decodes all of [pa, pa+size).</summary>
    public bool TryRead(ulong pa, int size, out ulong value)
    {
        value = 0;
        return Find(pa, size, out var m) && m.Device.Read(pa - m.Address, size, out value);
    }

    /// <summary>A hart's store to a device; false if no device decodes all of [pa, pa+size).</summary>
    public bool TryWrite(ulong pa, int size, ulong value) =>
        Find(pa, size, out var m) && m.Device.Write(pa - m.Address, size, value);

    /// <summary>Whether [pa, pa+length) lies entirely in RAM.</summary>
    public bool IsRam(ulong pa, ulong length) =>
        length <= Ram.Size && pa >= Ram.BaseAddress && pa - Ram.BaseAddress <= Ram.Size - length;

    public DmaPort CreateDmaPort(string device) => new(this, device);

    private bool Find(ulong pa, int size, out Mapping mapping)
    {
        foreach (var m in _devices)
        {
            if (pa >= m.Address && pa < m.End)
            {
                mapping = m;
                return pa + (ulong)size <= m.End;
            }
        }
        mapping = default;
        return false;
    }
}
