using Bulwark.Machine.Devices;
using Bulwark.Machine.Devices.Virtio;

namespace Bulwark.S3k.Dma;

/// <summary>What the kernel knows of one device that reaches RAM by DMA: where its register window is (its
/// driver is whoever owns that window), what it may still touch (<see cref="IDmaFootprint"/>, read from
/// what the driver wrote to it), and the two things the kernel may do to it: reset it, or fail the
/// requests it has in flight.</summary>
public sealed class DmaDevice(VirtioMmio slot, ulong windowAddress)
{
    public VirtioMmio Slot { get; } = slot;
    public string Name => Slot.Name;
    public ulong WindowStart { get; } = windowAddress;
    public ulong WindowEnd => WindowStart + Slot.Size;

    /// <summary>The device's driver at this moment: the owners of its register window.</summary>
    public OwnerSet Driver(OwnershipMap map) => map.OwnersOf(WindowStart);

    /// <summary>Every range the device may read or write from now on (rings, available chains, requests in
    /// flight), each [start, end) with a saturated end (<see cref="DeviceRange"/>).</summary>
    public List<DeviceRange> Footprint()
    {
        var ranges = new List<DeviceRange>();
        Slot.AddFootprint(ranges);
        return ranges;
    }

    /// <summary>The rings of the live queues: the part of the footprint no request owns, so failing requests
    /// cannot free it; only a reset can.</summary>
    public IEnumerable<DeviceRange> Rings() =>
        Slot.Queues.Where(q => q.IsLive).SelectMany(q => new[]
        {
            DeviceRange.Of(q.DescAddress, 16 * (ulong)q.Size, false, "descriptor table"),
            DeviceRange.Of(q.DriverAddress, SplitVirtqueue.AvailRingBytes(q.Size), false, "available ring"),
            DeviceRange.Of(q.DeviceAddress, SplitVirtqueue.UsedRingBytes(q.Size), true, "used ring"),
        });
}
