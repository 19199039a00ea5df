using Bulwark.Machine;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Memory;

namespace Bulwark.S3k.Dma;

/// <summary>How a device request ended.</summary>
public enum RequestOutcome
{
    /// <summary>Popped and not yet ended (at the end of a run: pending, e.g. on a stalled disk).</summary>
    InFlight,
    /// <summary>Published in the used ring with a success status.</summary>
    Completed,
    /// <summary>Published in the used ring with an error status: reported failed.</summary>
    Failed,
    /// <summary>Dropped by a reset the driver itself ordered: it knows every request in flight is gone.</summary>
    CancelledByDriver,
    /// <summary>Dropped without the driver's doing: a reset the kernel ordered, or the device broke (a
    /// refused DMA access). The driver is never told which requests ran.</summary>
    Lost,
}

/// <summary>One request of a device, from the notify that made the device pop it to its end.</summary>
public sealed class TrackedRequest(long id, string device, int queue, ushort head, ulong poppedAt, OwnerSet driver, ulong bytes)
{
    public long Id { get; } = id;
    public string Device { get; } = device;
    public int Queue { get; } = queue;
    public ushort Head { get; } = head;
    public ulong PoppedAt { get; } = poppedAt;

    /// <summary>The device's driver when the request was popped: the process the request is for.</summary>
    public OwnerSet Driver { get; } = driver;

    /// <summary>Bytes of all its buffers (header, data and status).</summary>
    public ulong Bytes { get; } = bytes;

    public RequestOutcome Outcome { get; set; }
    public ulong? EndedAt { get; set; }
    public string? Why { get; set; }
}

/// <summary>Follows every request of the board's virtio devices (<see cref="IVirtioRequestObserver"/>): each
/// must end exactly once, completed or reported failed. A publication for which no request of that head
/// is open is a request completed twice.</summary>
public sealed class RequestTracker(VirtualClock clock, Func<string, OwnerSet> currentDriver) : IVirtioRequestObserver
{
    private readonly Dictionary<(string, int, ushort), List<TrackedRequest>> _open = [];

    public List<TrackedRequest> All { get; } = [];

    /// <summary>Publications that found no open request of their head: (time, device, queue, head).</summary>
    public List<(ulong Time, string Device, int Queue, ushort Head)> CompletedTwice { get; } = [];

    /// <summary>Set by the kernel while it resets a device itself: the drops that follow are not the driver's doing.</summary>
    public bool KernelResetting { get; set; }

    /// <summary>Called after a request ended (a quarantine may be released).</summary>
    public Action? Ended { get; set; }

    public void Popped(VirtioMmio slot, int queue, VirtqueueElement element)
    {
        var r = new TrackedRequest(All.Count, slot.Name, queue, element.Head, clock.Nanoseconds, currentDriver(slot.Name),
            element.ReadableBytes + element.WritableBytes);
        All.Add(r);
        var key = (slot.Name, queue, element.Head);
        if (!_open.TryGetValue(key, out var list)) _open[key] = list = [];
        list.Add(r);
    }

    public void Published(VirtioMmio slot, int queue, VirtqueueElement element, uint writtenLength, bool failed)
    {
        if (Take(slot.Name, queue, element.Head) is not { } r)
        {
            CompletedTwice.Add((clock.Nanoseconds, slot.Name, queue, element.Head));
            return;
        }
        End(r, failed ? RequestOutcome.Failed : RequestOutcome.Completed, null);
    }

    public void Dropped(VirtioMmio slot, int queue, VirtqueueElement element, string why)
    {
        if (Take(slot.Name, queue, element.Head) is not { } r) return;
        bool driversReset = why == "device reset" && !KernelResetting;
        End(r, driversReset ? RequestOutcome.CancelledByDriver : RequestOutcome.Lost, why);
    }

    /// <summary>The open request a tagged access serves, if any (the oldest one of that head).</summary>
    public TrackedRequest? Open(string device, DmaRequest request) =>
        _open.TryGetValue((device, request.Queue, request.Head), out var list) && list.Count > 0 ? list[0] : null;

    private TrackedRequest? Take(string device, int queue, ushort head)
    {
        if (!_open.TryGetValue((device, queue, head), out var list) || list.Count == 0) return null;
        var r = list[0];
        list.RemoveAt(0);
        return r;
    }

    private void End(TrackedRequest r, RequestOutcome outcome, string? why)
    {
        r.Outcome = outcome;
        r.EndedAt = clock.Nanoseconds;
        r.Why = why;
        Ended?.Invoke();
    }
}
