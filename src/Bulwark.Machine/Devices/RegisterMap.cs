namespace Bulwark.Machine.Devices;

/// <summary>A device's registers, declared with their offset, width and name (the way Renode declares
/// peripheral registers), so a device class reads as a list of registers instead of an offset switch.
/// An access inside one register reads or writes the bytes it covers (a 32-bit half of a 64-bit
/// register, say). An access to no declared register reads 0 and is ignored, with a line in the
/// device trace, as QEMU's devices log unimplemented registers.
/// A narrower write reads the register to merge the bytes it does not cover, so a register whose read
/// has side effects (a claim, a receive buffer) must only be written at its full width; devices refuse
/// the access sizes QEMU refuses before asking the map.</summary>
public sealed class RegisterMap(string device, DeviceTrace trace)
{
    /// <summary><paramref name="Count"/> registers of <paramref name="Width"/> bytes, <paramref name="Stride"/>
    /// bytes apart; a single register is an array of one. The delegates take the index in the array.</summary>
    private readonly record struct Register(ulong Offset, int Width, int Count, ulong Stride, string Name,
        Func<int, ulong>? Read, Action<int, ulong>? Write)
    {
        public ulong ElementOffset(int index) => Offset + (ulong)index * Stride;

        public string ElementName(int index) => Count == 1 ? Name : $"{Name}[{index}]";
    }

    private readonly List<Register> _registers = [];

    /// <summary>When set, an access narrower than the register it falls in reads 0 and is ignored, with a
    /// line in the device trace, instead of touching the bytes it covers: what QEMU's virtio-mmio does
    /// with a "wrong size access to register".</summary>
    public bool WholeRegistersOnly { get; init; }

    /// <summary>Declares a register of <paramref name="width"/> bytes. A register without a reader reads 0;
    /// one without a writer ignores writes.</summary>
    public RegisterMap Define(ulong offset, int width, string name, Func<ulong>? read = null, Action<ulong>? write = null) =>
        DefineArray(offset, 1, (ulong)width, width, name, read == null ? null : _ => read(), write == null ? null : (_, v) => write(v));

    public RegisterMap Define32(ulong offset, string name, Func<uint>? read = null, Action<uint>? write = null) =>
        Define(offset, 4, name, read == null ? null : () => read(), write == null ? null : v => write((uint)v));

    public RegisterMap Define8(ulong offset, string name, Func<byte>? read = null, Action<byte>? write = null) =>
        Define(offset, 1, name, read == null ? null : () => read(), write == null ? null : v => write((byte)v));

    /// <summary>Declares <paramref name="count"/> registers of <paramref name="width"/> bytes, the first at
    /// <paramref name="offset"/> and each <paramref name="stride"/> bytes after the last: one per hart, per
    /// interrupt source, per context. The delegates get the register's index.</summary>
    public RegisterMap DefineArray(ulong offset, int count, ulong stride, int width, string name,
        Func<int, ulong>? read = null, Action<int, ulong>? write = null)
    {
        if (width is not (1 or 2 or 4 or 8) || offset % (ulong)width != 0) throw new ArgumentException($"{device}.{name}: bad width {width} at 0x{offset:x}");
        if (count < 1 || stride < (ulong)width || stride % (ulong)width != 0) throw new ArgumentException($"{device}.{name}: bad count {count} or stride 0x{stride:x}");
        var added = new Register(offset, width, count, stride, name, read, write);
        foreach (var r in _registers)
            for (int i = 0; i < count; i++)
                if (Covers(r, added.ElementOffset(i), added.ElementOffset(i) + (ulong)width, out int j))
                    throw new ArgumentException($"{device}.{added.ElementName(i)} at 0x{added.ElementOffset(i):x} overlaps {r.ElementName(j)}");
        _registers.Add(added);
        return this;
    }

    public RegisterMap DefineArray32(ulong offset, int count, ulong stride, string name,
        Func<int, uint>? read = null, Action<int, uint>? write = null) =>
        DefineArray(offset, count, stride, 4, name, read == null ? null : i => read(i), write == null ? null : (i, v) => write(i, (uint)v));

    public bool Read(ulong offset, int size, out ulong value)
    {
        if (!TryFind(offset, size, out var r, out int index))
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
        ulong whole = r.Read?.Invoke(index) ?? 0;
        value = Slice(whole, (int)(offset - r.ElementOffset(index)), size);
        return true;
    }

    public bool Write(ulong offset, int size, ulong value)
    {
        if (!TryFind(offset, size, out var r, out int index))
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
            r.Write(index, value);
            return true;
        }
        // A narrower write changes only the bytes it covers.
        int shift = 8 * (int)(offset - r.ElementOffset(index));
        ulong mask = (size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1) << shift;
        ulong old = r.Read?.Invoke(index) ?? 0;
        r.Write(index, (old & ~mask) | ((value << shift) & mask));
        return true;
    }

    private bool TryFind(ulong offset, int size, out Register register, out int index)
    {
        foreach (var r in _registers)
        {
            if (Covers(r, offset, offset + (ulong)size, out index)
                && offset >= r.ElementOffset(index) && offset + (ulong)size <= r.ElementOffset(index) + (ulong)r.Width)
            {
                register = r;
                return true;
            }
        }
        register = default;
        index = 0;
        return false;
    }

    /// <summary>Whether an element of <paramref name="r"/> shares a byte with [start, end); the first such is <paramref name="index"/>.</summary>
    private static bool Covers(Register r, ulong start, ulong end, out int index)
    {
        index = 0;
        if (end <= r.Offset) return false;
        ulong first = start <= r.Offset ? 0 : (start - r.Offset) / r.Stride;
        for (ulong i = first; i < (ulong)r.Count; i++)
        {
            ulong at = r.Offset + i * r.Stride;
            if (at >= end) return false;
            if (at + (ulong)r.Width > start)
            {
                index = (int)i;
                return true;
            }
        }
        return false;
    }

    private static ulong Slice(ulong value, int byteOffset, int size)
    {
        value >>= 8 * byteOffset;
        return size == 8 ? value : value & ((1UL << (8 * size)) - 1);
    }
}
