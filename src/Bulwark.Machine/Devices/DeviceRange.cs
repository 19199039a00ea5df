namespace Bulwark.Machine.Devices;

/// <summary>A byte range of physical memory [Start, End) a device may still read or write, and why. End
/// saturates at 2^64 - 1 when Start + length overflows, so a wrapping buffer overlaps everything above it.</summary>
public readonly record struct DeviceRange(ulong Start, ulong End, bool DeviceWrites, string What)
{
    public static DeviceRange Of(ulong start, ulong length, bool deviceWrites, string what) =>
        new(start, start + length < start ? ulong.MaxValue : start + length, deviceWrites, what);

    public bool Overlaps(ulong start, ulong end) => Start < end && start < End;
}

/// <summary>A device that can say which memory it may still touch by DMA: what a kernel must know before
/// it gives that memory to someone else (see issue 9: revocation under DMA).</summary>
public interface IDmaFootprint
{
    /// <summary>Adds every range the device may read or write from now on, given what the driver has
    /// written to it so far: rings, chains made available, requests in flight.</summary>
    void AddFootprint(List<DeviceRange> into);
}
