namespace Bulwark.Kernel.Lab.DoubleFetch;

/// <summary>A KASAN-style kernel heap for the double-fetch lab: every buffer is bounded, and an access
/// outside it is caught at the access (as if it hit a redzone) and stops the run.</summary>
public sealed class KernelHeap(string handler, string cve)
{
    public KernelBuffer Allocate(int size, string what)
    {
        if (size < 0) throw new KernelViolationException("negative-size-allocation", size, handler, cve, what);
        return new KernelBuffer(new byte[size], what, handler, cve);
    }

    /// <summary>A kernel object with fixed contents, e.g. a table a handler copies entries from.</summary>
    public KernelBuffer Wrap(byte[] data, string what) => new(data, what, handler, cve);
}

/// <summary>A kernel heap buffer whose every access is bounds-checked.</summary>
public sealed class KernelBuffer
{
    private readonly byte[] _data;
    private readonly string _handler, _cve;

    internal KernelBuffer(byte[] data, string what, string handler, string cve)
    {
        _data = data;
        What = what;
        _handler = handler;
        _cve = cve;
    }

    public string What { get; }
    public int Size => _data.Length;

    /// <summary>Copies <paramref name="count"/> bytes in at <paramref name="offset"/> (a kernel write).</summary>
    public void Write(int offset, ReadOnlySpan<byte> bytes) => Write(offset, bytes, bytes.Length);

    private void Write(int offset, ReadOnlySpan<byte> bytes, int count)
    {
        Check(offset, count, "write");
        bytes[..count].CopyTo(_data.AsSpan(offset));
    }

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/> (a kernel read). The
    /// count may be far larger than any buffer: the violation then reports the real size.</summary>
    public byte[] Read(long offset, long count)
    {
        Check(offset, count, "read");
        return _data.AsSpan((int)offset, (int)count).ToArray();
    }

    public uint ReadUInt32(int offset) => BitConverter.ToUInt32(Read(offset, 4));
    public ulong ReadUInt64(int offset) => BitConverter.ToUInt64(Read(offset, 8));
    public void WriteUInt32(int offset, uint value) => Write(offset, BitConverter.GetBytes(value));
    public void WriteUInt64(int offset, ulong value) => Write(offset, BitConverter.GetBytes(value));

    private void Check(long offset, long count, string access)
    {
        if (count < 0 || offset < 0 || offset + count > _data.Length)
        {
            long inside = Math.Max(0, Math.Min(offset + count, _data.Length) - Math.Max(offset, 0));
            long outside = Math.Max(0, count) - inside;
            throw new KernelViolationException($"heap-buffer-overflow {access}", outside, _handler, _cve,
                $"{What}: {access} of {count} bytes at offset {offset} of a {_data.Length}-byte buffer");
        }
    }
}
