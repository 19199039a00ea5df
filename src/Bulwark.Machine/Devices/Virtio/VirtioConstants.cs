namespace Bulwark.Machine.Devices.Virtio;

/// <summary>Bits of the device status register (virtio 1.2 §2.1).</summary>
public static class VirtioStatus
{
    public const uint Acknowledge = 1;
    public const uint Driver = 2;
    public const uint DriverOk = 4;
    public const uint FeaturesOk = 8;
    public const uint NeedsReset = 64;
    public const uint Failed = 128;
}

/// <summary>Feature bits shared by every device type (virtio 1.2 §6).</summary>
public static class VirtioFeature
{
    public const ulong IndirectDesc = 1UL << 28;
    public const ulong EventIdx = 1UL << 29;
    public const ulong Version1 = 1UL << 32;
}

/// <summary>Flags of split-ring descriptors and rings (virtio 1.2 §2.7).</summary>
public static class VirtqFlags
{
    public const ushort DescNext = 1;
    public const ushort DescWrite = 2;
    public const ushort DescIndirect = 4;
    public const ushort AvailNoInterrupt = 1;
}

/// <summary>InterruptStatus bits of virtio-mmio.</summary>
public static class VirtioInterrupt
{
    public const uint UsedBuffer = 1;
    public const uint ConfigChange = 2;
}
