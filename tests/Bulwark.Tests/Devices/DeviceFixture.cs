using Bulwark.Machine.Memory;
using MachineT = Bulwark.Machine.Machine;

namespace Bulwark.Tests.Devices;

/// <summary>A system-board machine without a board: tests map devices on its bus, load and store through
/// it as a hart would, and move virtual time on, firing due clock events as the board's scheduler does.</summary>
public sealed class DeviceFixture(int harts = 1)
{
    public MachineT Machine { get; } = new(harts, PhysicalMemory.AtAddress(0x8000_0000, 1 << 20));

    public ulong Load(ulong address, int size)
    {
        Assert.True(Machine.Bus.TryRead(address, size, out ulong value), $"{size}-byte load at 0x{address:x} faulted");
        return value;
    }

    public void Store(ulong address, ulong value, int size) =>
        Assert.True(Machine.Bus.TryWrite(address, size, value), $"{size}-byte store at 0x{address:x} faulted");

    public bool Faults(ulong address, int size) => !Machine.Bus.TryRead(address, size, out _);

    public bool StoreFaults(ulong address, int size, ulong value = 0) => !Machine.Bus.TryWrite(address, size, value);

    /// <summary>Moves the clock to <paramref name="ns"/> and fires what is due.</summary>
    public void RunTo(ulong ns)
    {
        Machine.Clock.AdvanceTo(ns);
        Machine.Clock.FireDueEvents();
    }

    public void RunFor(ulong ns) => RunTo(Machine.Clock.Nanoseconds + ns);

    public bool Line(int hart, int bit) => (Machine.Harts[hart].InterruptLines & (1UL << bit)) != 0;
}
