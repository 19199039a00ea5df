namespace Bulwark.Machine.Devices;

/// <summary>A device's registers, declared with their offset, width and name (the way Renode declares
/// peripheral registers), so a device class reads as a list of registers instead of an offset switch.
/// An access inside one register reads or writes the bytes it covers (a 32-bit half of a 64-bit
/// register, say). An access to no declared register reads 0 and is ignored, with a line in the
/// device trace, as QEMU's devices log unimplemented registers.</summary>
public sealed class RegisterMap(string device, DeviceTrace trace)
{
    private readonly record struct Register(ulong Offset, int Width, string Name, Func<ulong>? Read, Action<ulong>? Write);

    private readonly List<Register> _registers = [];

    /// <summary>When set, an access narrower than the register it falls in reads 0 and is ignored, with a
    /// line in the device trace, instead of touching the bytes it covers: what QEMU's virtio-mmio does
    /// with a "wrong size access to register".</summary>
    public bool WholeRegistersOnly { get; init; }

    /// <summary>Declares a register of <paramref name="width"/> bytes. A register without a reader reads 0;
    /// one without a writer ignores writes.</summary>
    public RegisterMap Define(ulong offset, int width, string name, Func<ulong>? read = null, Action<ulong>? write = null)
    {
        if (width is not (1 or 2 or 4 or 8) || offset % (ulong)width != 0) throw new ArgumentException($"{device}.{name}: bad width {width} at 0x{offset:x}");
        foreach (var r in _registers)
            if (offset < r.Offset + (ulong)r.Width && r.Offset < offset + (ulong)width)
                throw new ArgumentException($"{device}.{name} at 0x{offset:x} overlaps {r.Name}");
        _registers.Add(new Register(offset, width, name, read, write));
        return this;
    }

    public RegisterMap Define32(ulong offset, string name, Func<uint>? read = null, Action<uint>? write = null) =>
        Define(offset, 4, name, read == null ? null : () => read(), write == null ? null : v => write((uint)v));

    public RegisterMap Define8(ulong offset, string name, Func<byte>? read = null, Action<byte>? write = null) =>
        Define(offset, 1, name, read == null ? null : () => read(), write == null ? null : v => write((byte)v));

    public bool Read(ulong offset, int size, out ulong value)
    {
        if (!TryFind(offset, size, out var r))
        {
            trace.Line(device, $"read of {size} bytes at 0x{offset:x}: no register there (reads 0)");
            value = 0;
            return true;
        }
        if (size != r.Width && WholeRegistersOnly)
        {
            trace.Line(device, $"read of {size} bytes at 0x{offset:x}: {r.Name} is {r.Width} bytes wide (reads 0)");
            value = 0;
            return true;
        }
        ulong whole = r.Read?.Invoke() ?? 0;
        value = Slice(whole, (int)(offset - r.Offset), size);
        return true;
    }

    public bool Write(ulong offset, int size, ulong value)
    {
        if (!TryFind(offset, size, out var r))
        {
            trace.Line(device, $"write of {size} bytes 0x{value:x} at 0x{offset:x}: no register there (ignored)");
            return true;
        }
        if (size != r.Width && WholeRegistersOnly)
        {
            trace.Line(device, $"write of {size} bytes 0x{value:x} at 0x{offset:x}: {r.Name} is {r.Width} bytes wide (ignored)");
            return true;
        }
        if (r.Write == null) return true;
        if (size == r.Width)
        {
            r.Write(value);
            return true;
        }
        // A narrower write changes only the bytes it covers.
        int shift = 8 * (int)(offset - r.Offset);
        ulong mask = (size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1) << shift;
        ulong old = r.Read?.Invoke() ?? 0;
        r.Write((old & ~mask) | ((value << shift) & mask));
        return true;
    }

    private bool TryFind(ulong offset, int size, out Register register)
    {
        foreach (var r in _registers)
        {
            if (offset >= r.Offset && offset + (ulong)size <= r.Offset + (ulong)r.Width)
            {
                register = r;
                return true;
            }
        }
        register = default;
        return false;
    }

    private static ulong Slice(ulong value, int byteOffset, int size)
    {
        value >>= 8 * byteOffset;
        return size == 8 ? value : value & ((1UL << (8 * size)) - 1);
    }
}
