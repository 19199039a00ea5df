namespace Bulwark.Machine.Devices;

/// <summary>A device's register window on the physical bus. Accesses are 1, 2, 4 or 8 bytes at an offset
/// into the window, never crossing its end (the bus checks). Devices declare their registers with a
/// <see cref="RegisterMap"/> rather than switching on offsets by hand.</summary>
public interface IMmioDevice
{
    /// <summary>Short name for traces and statistics, e.g. "uart0".</summary>
    string Name { get; }

    /// <summary>Bytes of the window.</summary>
    ulong Size { get; }

    /// <summary>Returns false when the device refuses the access (the hart takes an access fault).</summary>
    bool Read(ulong offset, int size, out ulong value);

    /// <summary>Returns false when the device refuses the access (the hart takes an access fault).</summary>
    bool Write(ulong offset, int size, ulong value);
}

/// <summary>A device that reports counters for <c>--stats</c>.</summary>
public interface IDeviceCounters
{
    IEnumerable<(string Name, long Value)> Counters { get; }
}

/// <summary>A wire from a device to an interrupt controller (level-triggered).</summary>
public interface IInterruptLine
{
    void Set(bool level);
}
