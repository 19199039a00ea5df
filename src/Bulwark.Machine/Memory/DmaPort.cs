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

    /// <summary>The request the device is working for, if any: a monitor that keeps an owner-tagged log
    /// needs to know which request an access belongs to (its driver, its completion), not only where it goes.</summary>
    public DmaRequest? Request { get; set; }

    /// <summary>Tags the accesses until the returned scope is disposed with <paramref name="request"/>.</summary>
    public RequestScope For(DmaRequest request)
    {
        var previous = Request;
        Request = request;
        return new RequestScope(this, previous);
    }

    /// <summary>Puts the previous request tag back (a struct: tagging allocates nothing).</summary>
    public readonly struct RequestScope(DmaPort port, DmaRequest? previous) : IDisposable
    {
        public void Dispose() => port.Request = previous;
    }

    public bool Read(ulong pa, Span<byte> into)
    {
        if (!Check(pa, into.Length, write: false)) return false;
        bus.Ram.Read(pa, into);
        BytesRead += into.Length;
        return true;
    }

    public bool Write(ulong pa, ReadOnlySpan<byte> from)
    {
        if (!Check(pa, from.Length, write: true)) return false;
        bus.Ram.Write(pa, from);
        BytesWritten += from.Length;
        return true;
    }

    private bool Check(ulong pa, int length, bool write)
    {
        bool allowed = bus.IsRam(pa, (ulong)length)
            && (bus.DmaMonitor?.Allow(new DmaAccess(Device, pa, length, write, Request)) ?? true);
        if (!allowed) Refused++;
        return allowed;
    }
}

/// <summary>Which request of a device an access serves: a virtqueue's index and the chain's head.</summary>
public readonly record struct DmaRequest(int Queue, ushort Head);

/// <summary>One device access to RAM, as a <see cref="IDmaMonitor"/> sees it; <see cref="Request"/> is null
/// for the device's own bookkeeping (rings it reads or writes for no one request).</summary>
public readonly record struct DmaAccess(string Device, ulong Address, int Length, bool IsWrite, DmaRequest? Request = null);

/// <summary>Sees every DMA access before it happens and may refuse it (ownership checks, logs).</summary>
public interface IDmaMonitor
{
    bool Allow(in DmaAccess access);
}
