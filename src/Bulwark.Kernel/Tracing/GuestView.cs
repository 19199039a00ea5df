using System.Buffers.Binary;
using Bulwark.Kernel.Memory;

namespace Bulwark.Kernel.Tracing;

/// <summary>The trace's look at a process's memory: only <see cref="AddressSpace.Peek"/>, never the
/// user-access path, so tracing faults nothing in, preempts nothing, makes no Midas snapshot or page
/// version and records nothing in the double-fetch detector. What cannot be read is shown as its address.</summary>
internal readonly struct GuestView(AddressSpace space)
{
    public byte[]? Read(ulong address, int length)
    {
        if (address == 0 || length < 0) return null;
        var bytes = new byte[length];
        return space.Peek(address, bytes) == length ? bytes : null;
    }

    public ulong? U64(ulong address) => Read(address, 8) is { } b ? BinaryPrimitives.ReadUInt64LittleEndian(b) : null;

    /// <summary>A buffer of <paramref name="length"/> bytes: its first 32 quoted, "..." if there were more.</summary>
    public string Buffer(ulong address, long length, bool hex = false)
    {
        int shown = (int)Math.Clamp(length, 0, TraceText.MaxShown);
        return Read(address, shown) is { } bytes ? TraceText.Quote(bytes, length > shown, hex) : TraceText.Pointer(address);
    }

    /// <summary>A NUL-terminated string, cut after <paramref name="max"/> bytes (paths are shown whole, as strace does).</summary>
    public string String(ulong address, int max = TraceText.MaxShown)
    {
        if (address == 0) return "NULL";
        var bytes = new byte[max + 1];
        int readable = space.Peek(address, bytes);
        int nul = Array.IndexOf(bytes, (byte)0, 0, readable);
        if (nul >= 0) return TraceText.Quote(bytes.AsSpan(0, nul), cut: false);
        return readable > max ? TraceText.Quote(bytes.AsSpan(0, max), cut: true) : TraceText.Pointer(address);
    }

    public const int PathMax = 4096;

    public string Path(ulong address) => String(address, PathMax);

    /// <summary>An array of <paramref name="count"/> elements of <paramref name="size"/> bytes, each formatted
    /// by <paramref name="element"/> (null leaves it out); at most 32 shown, as strace does.</summary>
    public string Elements(ulong address, long count, int size, Func<byte[], string?> element)
    {
        if (count <= 0) return address == 0 ? "NULL" : "[]";
        int shown = (int)Math.Min(count, TraceText.MaxShown);
        if (Read(address, shown * size) is not { } bytes) return TraceText.Pointer(address);
        var parts = new List<string>();
        for (int i = 0; i < shown; i++)
            if (element(bytes[(i * size)..((i + 1) * size)]) is { } text) parts.Add(text);
        if (count > shown) parts.Add("...");
        return "[" + string.Join(", ", parts) + "]";
    }
}
