using Bulwark.Machine;
using Bulwark.Machine.Cpu.Privileged;
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

/// <summary>For a board without a CLINT: mtime is the virtual clock's 10 MHz ticks, and the kernel keeps
/// mtimecmp itself, raising each hart's MTIP by a clock event at the exact tick (as the CLINT does). The
/// processes then have no mtime to read; with a CLINT on the board <see cref="ClintTimer"/> is used.</summary>
public sealed class BoardlessTimer : IKernelTimer
{
    private readonly Machine.Machine _machine;
    private readonly ulong[] _mtimecmp;
    private readonly ulong?[] _eventAt;

    public BoardlessTimer(Machine.Machine machine)
    {
        _machine = machine;
        _mtimecmp = Enumerable.Repeat(ulong.MaxValue, machine.Harts.Count).ToArray();
        _eventAt = new ulong?[machine.Harts.Count];
    }

    public ulong Time => _machine.Clock.Ticks;

    public ulong GetTimeout(int hart) => _mtimecmp[hart];

    public void SetTimeout(int hart, ulong value)
    {
        _mtimecmp[hart] = value;
        Update(hart);
    }

    private void Update(int hart)
    {
        var clock = _machine.Clock;
        ulong now = clock.Ticks, compare = _mtimecmp[hart];
        _machine.Harts[hart].SetInterruptLine(InterruptBits.MachineTimer, now >= compare);
        if (now >= compare || compare > ulong.MaxValue / VirtualClock.NanosecondsPerTick) return;
        ulong at = compare * VirtualClock.NanosecondsPerTick;
        if (_eventAt[hart] is ulong pending && pending <= at) return;
        _eventAt[hart] = at;
        clock.Schedule(at, () =>
        {
            if (_eventAt[hart] == at) _eventAt[hart] = null;
            Update(hart);
        });
    }
}
