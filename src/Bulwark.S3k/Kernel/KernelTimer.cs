using Bulwark.S3k.Platforms;

namespace Bulwark.S3k.Kernel;

/// <summary>The kernel's clock (drivers/time.c): mtime, and each hart's mtimecmp, whose expiry raises the
/// hart's machine timer interrupt (MTIP) — the only interrupt s3k enables, and what kernel_preempt polls.</summary>
public interface IKernelTimer
{
    /// <summary>time_get: mtime.</summary>
    ulong Time { get; }

    /// <summary>timeout_get: mtimecmp of a hart.</summary>
    ulong GetTimeout(int hart);

    /// <summary>timeout_set: mtimecmp of a hart.</summary>
    void SetTimeout(int hart, ulong value);
}

/// <summary>The board's CLINT, reached as the real kernel reaches it: 8-byte MMIO at mtime and mtimecmp.</summary>
public sealed class ClintTimer(Machine.Machine machine) : IKernelTimer
{
    public ulong Time => machine.Bus.TryRead(S3kPlatform.MtimeAddress, 8, out ulong v) ? v : throw new InvalidOperationException("no CLINT answers at mtime");

    public ulong GetTimeout(int hart) =>
        machine.Bus.TryRead(S3kPlatform.MtimecmpAddress + 8 * (ulong)hart, 8, out ulong v) ? v : throw new InvalidOperationException("no CLINT answers at mtimecmp");

    public void SetTimeout(int hart, ulong value)
    {
        if (!machine.Bus.TryWrite(S3kPlatform.MtimecmpAddress + 8 * (ulong)hart, 8, value)) throw new InvalidOperationException("no CLINT answers at mtimecmp");
    }

    /// <summary>Whether a device answers at the CLINT's mtime on this board.</summary>
    public static bool Present(Machine.Machine machine) => machine.Bus.TryRead(S3kPlatform.MtimeAddress, 8, out _);
}
