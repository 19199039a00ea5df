using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Devices.Virtio;

/// <summary>A virtio device type (block, ...) behind a transport. The transport owns the status,
/// features, queues and interrupt; the device consumes what its queues hold.</summary>
public interface IVirtioDevice
{
    /// <summary>The virtio device ID (2 for block).</summary>
    uint DeviceId { get; }

    /// <summary>Feature bits the device offers, without the transport's own (VERSION_1 is added by a
    /// version 2 transport).</summary>
    ulong Features { get; }

    int QueueCount { get; }

    /// <summary>The queue size a queue has before the driver writes QueueNum (QEMU's virtio-blk: 256).</summary>
    ushort DefaultQueueSize { get; }

    /// <summary>The device configuration space (little-endian), read byte-wise at 0x100 and up.</summary>
    ReadOnlySpan<byte> Config { get; }

    /// <summary>Called once by the transport that carries this device.</summary>
    void Attach(IVirtioTransport transport);

    /// <summary>The driver wrote <paramref name="queue"/>'s index to QueueNotify, with DRIVER_OK set and
    /// the queue live. Pops what it can.</summary>
    void Notify(SplitVirtqueue queue);

    /// <summary>The device is being reset (Status ← 0): forget every request in flight; none may touch
    /// RAM afterwards.</summary>
    void Reset();

    /// <summary>The chains popped and not yet completed: their buffers are still the device's to use.</summary>
    IEnumerable<VirtqueueElement> InFlightElements { get; }

    /// <summary>Ends the requests in flight that <paramref name="which"/> picks with the device's failure
    /// status (a kernel taking their memory away; issue 9's scrub): none of them touches RAM afterwards
    /// except for its status, written only where <paramref name="mayWriteStatus"/> allows, and each is
    /// completed once, with an error. Returns how many.</summary>
    int FailInFlight(Func<VirtqueueElement, bool> which, Func<ulong, bool> mayWriteStatus);
}

/// <summary>What a transport gives the device it carries.</summary>
public interface IVirtioTransport
{
    string Name { get; }
    DmaPort Dma { get; }
    VirtualClock Clock { get; }
    DeviceTrace Trace { get; }

    /// <summary>Set after an unrecoverable driver error, until reset: nothing is popped or completed.</summary>
    bool IsBroken { get; }

    /// <summary>Marks the device broken the way QEMU's virtio_error does (see <see cref="VirtioMmio.Fail"/>).</summary>
    void Fail(string message);

    /// <summary>Puts a popped element on its queue's used ring with <paramref name="writtenLength"/> and
    /// notifies the driver unless it asked not to be; <paramref name="failed"/>: the device reports an
    /// error for it (what a request tracker counts as reported failure).</summary>
    void Complete(SplitVirtqueue queue, VirtqueueElement element, uint writtenLength, bool failed = false);

    /// <summary>The device popped <paramref name="element"/>: a request begins (see <see cref="IVirtioRequestObserver"/>).</summary>
    void Popped(SplitVirtqueue queue, VirtqueueElement element);

    /// <summary>The device dropped a popped request without completing it (reset, broken, malformed).</summary>
    void Dropped(SplitVirtqueue queue, VirtqueueElement element, string why);
}

/// <summary>Follows every request of a transport from pop to its end: completed (published in the used
/// ring) or dropped. A kernel tracking lost and twice-completed requests (issue 9) listens here.</summary>
public interface IVirtioRequestObserver
{
    void Popped(VirtioMmio slot, int queue, VirtqueueElement element);
    void Published(VirtioMmio slot, int queue, VirtqueueElement element, uint writtenLength, bool failed);
    void Dropped(VirtioMmio slot, int queue, VirtqueueElement element, string why);
}
