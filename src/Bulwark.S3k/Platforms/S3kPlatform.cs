using Bulwark.S3k.Capabilities;

namespace Bulwark.S3k.Platforms;

/// <summary>A platform header of the course's s3k (common/inc/plat/): its harts and the capabilities
/// process 0 boots with (INIT_CAPS), as a function of the configuration's counts.</summary>
public sealed record S3kPlatform(string Name, int MinHart, int MaxHart, ulong UartBase, ulong UartEnd)
{
    public const ulong MtimeAddress = 0x200_bff8, MtimecmpAddress = 0x200_4000;

    /// <summary>qemu_virt.h: one hart, the UART page.</summary>
    public static readonly S3kPlatform QemuVirt = new("qemu_virt", 0, 0, 0x1000_0000, 0x1000_1000);

    /// <summary>qemu_virt4.h: four harts, the UART and the first virtio-mmio slot.</summary>
    public static readonly S3kPlatform QemuVirt4 = new("qemu_virt4", 0, 3, 0x1000_0000, 0x1000_2000);

    public int Harts => MaxHart - MinHart + 1;

    /// <summary>The platform for a number of harts, as `bulwark s3k --harts` chooses it.</summary>
    public static S3kPlatform ForHarts(int harts) => harts switch
    {
        1 => QemuVirt,
        4 => QemuVirt4,
        _ => throw new ArgumentOutOfRangeException(nameof(harts), "s3k has platforms of 1 (qemu_virt) and 4 (qemu_virt4) harts"),
    };

    /// <summary>INIT_CAPS: slot index and capability; slots not listed are empty.</summary>
    public IEnumerable<(int Index, Cap Cap)> BootCapabilities(S3kConfig config)
    {
        yield return (0, Cap.Pmp(0x2000_5fff, Rwx.All));
        yield return (1, Cap.Memory(0x8002_0000, 0x8800_0000, Rwx.All));
        yield return (2, Cap.Memory(UartBase, UartEnd, Rwx.Rw));
        yield return (3, Cap.Memory(0x200_b000, 0x200_c000, Rwx.R));
        for (int hart = MinHart; hart <= MaxHart; hart++)
            yield return (4 + hart - MinHart, Cap.Time((byte)hart, 0, (ushort)config.SlotCount));
        yield return (8, Cap.Monitor(0, (ushort)config.ProcCount));
        yield return (9, Cap.Channel(0, (ushort)config.ChanCount));
    }
}
