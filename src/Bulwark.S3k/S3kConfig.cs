using Bulwark.S3k.Platforms;

namespace Bulwark.S3k;

/// <summary>What s3k fixes at compile time (s3k_conf.h and the platform header), here chosen per run.
/// The defaults are the course's kernel/s3k_conf.h on <c>qemu_virt</c>.</summary>
public sealed record S3kConfig
{
    /// <summary>The platform: its harts and boot capabilities.</summary>
    public S3kPlatform Platform { get; init; } = S3kPlatform.QemuVirt;

    /// <summary>S3K_PROC_CNT: processes.</summary>
    public int ProcCount { get; init; } = 2;

    /// <summary>S3K_CAP_CNT: capability slots per process.</summary>
    public int CapCount { get; init; } = 32;

    /// <summary>S3K_CHAN_CNT: IPC channels.</summary>
    public int ChanCount { get; init; } = 2;

    /// <summary>S3K_SLOT_CNT: time slots per period.</summary>
    public int SlotCount { get; init; } = 32;

    /// <summary>S3K_SLOT_LEN: mtime ticks per slot (S3K_RTC_HZ / S3K_SLOT_CNT).</summary>
    public ulong SlotTicks { get; init; } = RtcHz / 32;

    /// <summary>S3K_SCHED_TIME: ticks at the end of each slice kept for the scheduler (S3K_SLOT_LEN / 10).</summary>
    public ulong? SchedTicksOverride { get; init; }

    public ulong SchedTicks => SchedTicksOverride ?? SlotTicks / 10;

    /// <summary>S3K_PMP_CNT: PMP slots per process.</summary>
    public int PmpCount { get; init; } = 8;

    /// <summary>VERBOSITY: kprintf lines of a higher level are not printed (1: schedule updates, 2: every dispatch).</summary>
    public int Verbosity { get; init; }

    /// <summary>Without NDEBUG a failed kernel assertion prints a line before the hart hangs.</summary>
    public bool Debug { get; init; } = true;

    /// <summary>Not s3k: a server suspended while it waits in recv waits again when resumed
    /// (<see cref="Capabilities.IpcLivelockFix"/>), instead of the reference note's §1.5 livelock.</summary>
    public bool FixIpcLivelock { get; init; }

    /// <summary>Not s3k (issue 9): what a revoke, delete or move does to memory a device may still touch.</summary>
    public Dma.RevokePolicy RevokePolicy { get; init; }

    /// <summary>Keep the owner-tagged DMA log and follow every device request, also under policy none (which
    /// checks nothing): what `--revoke-policy` and the revocation tests and table need.</summary>
    public bool TrackDma { get; init; }

    /// <summary>Under policy deny: how long (virtual ns) a device may keep memory busy before the kernel
    /// resets it and lets the call through, so a stalled device cannot block a monitor for ever.</summary>
    public ulong DenyResetNs { get; init; } = 1_000_000;

    public bool SupervisesDma => TrackDma || RevokePolicy != Dma.RevokePolicy.None;

    /// <summary>Where process 0 starts (the kernel's _payload: the end of its 64 KiB).</summary>
    public ulong PayloadAddress { get; init; } = 0x8001_0000;

    /// <summary>Virtual time every kernel entry takes, so that a process that traps on every instruction
    /// (a fault at its own trap handler) still lets time go on.</summary>
    public ulong KernelEntryNs { get; init; } = 100;

    /// <summary>S3K_RTC_HZ of the course's platform headers (the slot length is derived from it).</summary>
    public const ulong RtcHz = 1_000_000;

    public int Harts => Platform.Harts;

    /// <summary>Why this configuration cannot be built, or null.</summary>
    public string? Problem() =>
        ProcCount is < 1 or > 256 ? "processes must be 1 to 256 (a slot's owner is one byte)"
        : CapCount is < 10 or > 0xffff ? "capability slots must be 10 (the boot capabilities) to 65535"
        : ChanCount is < 1 or > 0xffff ? "channels must be 1 to 65535"
        : SlotCount is < 1 or > 255 ? "time slots must be 1 to 255 (a slot's length is one byte)"
        : SlotTicks < 1 ? "a slot must last at least one tick"
        : SchedTicks >= SlotTicks ? "the scheduler's time must be shorter than a slot"
        : PmpCount is < 1 or > 8 ? "PMP slots must be 1 to 8 (one pmpcfg register)"
        : SupervisesDma && ProcCount > Dma.OwnerSet.MaxPids ? $"DMA supervision (--revoke-policy) tracks at most {Dma.OwnerSet.MaxPids} processes"
        : null;
}
