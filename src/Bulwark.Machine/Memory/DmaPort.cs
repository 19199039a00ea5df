namespace Bulwark.Machine.Memory;

/// <summary>One device's only way to RAM. Every access is checked: it must lie wholly in RAM and be
/// allowed by the bus's <see cref="IDmaMonitor"/>; a write invalidates decoded code and breaks LR
/// reservations like any store. A refused access moves no byte; the device decides what that means
/// (virtio marks itself broken).</summary>
public sealed class DmaPort(PhysicalBus bus, string device)
{
    public string Device { get; } = device;
    public long BytesRead { get; private set; }
    public long BytesWritten { get; private set; }
    public long Refused { get; private set; }

    public bool Read(ulong pa, Span<byte> into)
    {
        if (!Check(pa, into.Length, write: false)) return false;
        var ram = bus.Ram;
        for (int done = 0; done < into.Length;)
        {
            ulong at = pa + (ulong)done;
            int offset = (int)(at & (PhysicalMemory.PageSize - 1));
            int chunk = Math.Min(into.Length - done, PhysicalMemory.PageSize - offset);
            ram.Frame((uint)(at >> PhysicalMemory.PageShift)).AsSpan(offset, chunk).CopyTo(into[done..]);
            done += chunk;
        }
        BytesRead += into.Length;
        return true;
    }

    public bool Write(ulong pa, ReadOnlySpan<byte> from)
    {
        if (!Check(pa, from.Length, write: true)) return false;
        var ram = bus.Ram;
        for (int done = 0; done < from.Length;)
        {
            ulong at = pa + (ulong)done;
            uint pfn = (uint)(at >> PhysicalMemory.PageShift);
            int offset = (int)(at & (PhysicalMemory.PageSize - 1));
            int chunk = Math.Min(from.Length - done, PhysicalMemory.PageSize - offset);
            ram.BeforeWrite(pfn, offset, chunk);
            from.Slice(done, chunk).CopyTo(ram.Frame(pfn).AsSpan(offset, chunk));
            done += chunk;
        }
        BytesWritten += from.Length;
        return true;
    }

    private bool Check(ulong pa, int length, bool write)
    {
        bool allowed = bus.IsRam(pa, (ulong)length)
            && (bus.DmaMonitor?.Allow(new DmaAccess(Device, pa, length, write)) ?? true);
        if (!allowed) Refused++;
        return allowed;
    }
}

/// <summary>One device access to RAM, as a <see cref="IDmaMonitor"/> sees it.</summary>
public readonly record struct DmaAccess(string Device, ulong Address, int Length, bool IsWrite);

/// <summary>Sees every DMA access before it happens and may refuse it (ownership checks, logs).</summary>
public interface IDmaMonitor
{
    bool Allow(in DmaAccess access);
}
