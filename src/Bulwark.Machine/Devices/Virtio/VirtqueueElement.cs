using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Devices.Virtio;

/// <summary>One guest buffer of a descriptor chain.</summary>
public readonly record struct VirtqBuffer(ulong Address, uint Length);

/// <summary>A descriptor chain as the device popped it: the addresses and lengths are copied at pop, so
/// a driver rewriting its descriptors afterwards changes nothing (as QEMU maps them at pop). Readable
/// buffers come first in the chain, writable ones after.</summary>
public sealed class VirtqueueElement(ushort head, VirtqBuffer[] readable, VirtqBuffer[] writable, long generation)
{
    /// <summary>The head descriptor index, reported back in the used element.</summary>
    public ushort Head { get; } = head;
    public IReadOnlyList<VirtqBuffer> Readable { get; } = readable;
    public IReadOnlyList<VirtqBuffer> Writable { get; } = writable;

    /// <summary>The queue's generation at pop; a queue reset or disabled since then makes it stale.</summary>
    public long Generation { get; } = generation;

    public ulong ReadableBytes { get; } = readable.Aggregate(0UL, (sum, b) => sum + b.Length);
    public ulong WritableBytes { get; } = writable.Aggregate(0UL, (sum, b) => sum + b.Length);

    /// <summary>Reads <paramref name="into"/>.Length bytes of the readable part from <paramref name="offset"/>
    /// (the readable buffers seen as one byte stream). False if the stream is too short or DMA is refused.</summary>
    public bool ReadReadable(DmaPort dma, ulong offset, Span<byte> into)
    {
        foreach (var b in Readable)
        {
            if (into.IsEmpty) break;
            if (offset >= b.Length)
            {
                offset -= b.Length;
                continue;
            }
            int chunk = (int)Math.Min((ulong)into.Length, b.Length - offset);
            if (!dma.Read(b.Address + offset, into[..chunk])) return false;
            into = into[chunk..];
            offset = 0;
        }
        return into.IsEmpty;
    }

    /// <summary>Writes <paramref name="from"/> into the writable part at <paramref name="offset"/> (the
    /// writable buffers seen as one byte stream). False if the stream is too short or DMA is refused.</summary>
    public bool WriteWritable(DmaPort dma, ulong offset, ReadOnlySpan<byte> from)
    {
        foreach (var b in Writable)
        {
            if (from.IsEmpty) break;
            if (offset >= b.Length)
            {
                offset -= b.Length;
                continue;
            }
            int chunk = (int)Math.Min((ulong)from.Length, b.Length - offset);
            if (!dma.Write(b.Address + offset, from[..chunk])) return false;
            from = from[chunk..];
            offset = 0;
        }
        return from.IsEmpty;
    }
}
