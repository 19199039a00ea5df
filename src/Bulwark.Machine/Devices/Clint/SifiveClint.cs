using Bulwark.Machine.Cpu.Privileged;

namespace Bulwark.Machine.Devices.Clint;

/// <summary>The core-local interruptor of QEMU's virt board: the SiFive CLINT layout, which QEMU builds
/// from an ACLINT MSWI (one 32-bit msip per hart at 4·h, bit 0 drives the hart's MSIP) and an ACLINT
/// MTIMER (64-bit mtimecmp per hart at 0x4000 + 8·h, the shared mtime at 0xbff8).
/// mtime counts at 10 MHz of virtual time: the clock's ticks plus an offset that a write to mtime sets,
/// so mtime reads as written and goes on counting (QEMU keeps the same delta). MTIP of a hart is high
/// exactly while mtime ≥ its mtimecmp: each write that leaves it low schedules a clock event for the tick
/// at which mtime reaches mtimecmp, and every event only re-evaluates that condition, so events made stale
/// by later writes do nothing. mtimecmp resets to all ones (QEMU resets it to 0, which leaves MTIP pending
/// from the start; Bulwark starts with no timer interrupt). This device alone drives the harts' MSIP and MTIP.</summary>
public sealed class SifiveClint : IMmioDevice, IDeviceCounters
{
    /// <summary>Where QEMU's virt board puts it.</summary>
    public const ulong VirtBase = 0x0200_0000;

    public const ulong MsipOffset = 0x0, MtimecmpOffset = 0x4000, MtimeOffset = 0xbff8;

    /// <summary>QEMU maps the MSWI over [0, 0x4000) with 32-bit accesses only and the MTIMER over
    /// [0x4000, 0xc000) with 32- or 64-bit ones; the rest of the board's 0x10000 window is unassigned.</summary>
    private const ulong MswiEnd = 0x4000, MtimerEnd = 0xc000;

    /// <summary>The most harts whose mtimecmp fits below mtime (QEMU's RISCV_ACLINT_MAX_HARTS).</summary>
    public const int MaxHarts = 4095;

    private readonly Machine _machine;
    private readonly RegisterMap _registers;
    private readonly bool[] _msip;
    private readonly bool[] _mtip;
    private readonly ulong[] _mtimecmp;

    /// <summary>Per hart, the time of the earliest timer event still to fire, so rewriting mtimecmp in a
    /// loop does not pile up events: a later target waits for that event, which looks again.</summary>
    private readonly ulong?[] _eventAt;

    /// <summary>mtime minus the clock's ticks (wrapping), set by writes to mtime.</summary>
    private ulong _mtimeDelta;

    private long _timerInterrupts, _softwareInterrupts;

    public SifiveClint(Machine machine)
    {
        int harts = machine.Harts.Count;
        if (harts > MaxHarts) throw new ArgumentOutOfRangeException(nameof(machine), $"a CLINT serves at most {MaxHarts} harts");
        _machine = machine;
        _msip = new bool[harts];
        _mtip = new bool[harts];
        _mtimecmp = Enumerable.Repeat(ulong.MaxValue, harts).ToArray();
        _eventAt = new ulong?[harts];
        _registers = new RegisterMap(Name, machine.DeviceTrace)
            .DefineArray32(MsipOffset, harts, 4, "msip", h => _msip[h] ? 1u : 0u, (h, v) => SetMsip(h, (v & 1) != 0))
            .DefineArray(MtimecmpOffset, harts, 8, 8, "mtimecmp", h => _mtimecmp[h], WriteMtimecmp)
            .Define(MtimeOffset, 8, "mtime", () => Mtime, WriteMtime);
    }

    public string Name => "clint";

    public ulong Size => 0x10000;

    /// <summary>The timer as the guest reads it at 0xbff8.</summary>
    public ulong Mtime => _machine.Clock.Ticks + _mtimeDelta;

    public IEnumerable<(string Name, long Value)> Counters =>
    [
        ("timer interrupts", _timerInterrupts),
        ("software interrupts", _softwareInterrupts),
    ];

    public bool Read(ulong offset, int size, out ulong value)
    {
        value = 0;
        return Accepts(offset, size) && _registers.Read(offset, size, out value);
    }

    public bool Write(ulong offset, int size, ulong value) =>
        Accepts(offset, size) && _registers.Write(offset, size, value);

    private static bool Accepts(ulong offset, int size) =>
        offset % (ulong)size == 0 && (offset < MswiEnd ? size == 4 : offset < MtimerEnd && size is 4 or 8);

    private void SetMsip(int hart, bool level)
    {
        if (_msip[hart] == level) return;
        _msip[hart] = level;
        if (level) _softwareInterrupts++;
        _machine.Harts[hart].SetInterruptLine(InterruptBits.MachineSoftware, level);
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"hart {hart} MSIP {(level ? "raised" : "lowered")}");
    }

    private void WriteMtimecmp(int hart, ulong value)
    {
        _mtimecmp[hart] = value;
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"mtimecmp[{hart}] = {value} (mtime {Mtime})");
        UpdateTimer(hart);
    }

    private void WriteMtime(ulong value)
    {
        _mtimeDelta = value - _machine.Clock.Ticks;
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"mtime = {value}");
        for (int h = 0; h < _mtimecmp.Length; h++) UpdateTimer(h);
    }

    /// <summary>Sets MTIP from mtime ≥ mtimecmp and, while it is low, makes sure an event fires at the tick
    /// where it becomes true.</summary>
    private void UpdateTimer(int hart)
    {
        ulong mtime = Mtime;
        ulong compare = _mtimecmp[hart];
        SetMtip(hart, mtime >= compare);
        if (mtime >= compare) return;

        VirtualClock clock = _machine.Clock;
        ulong ticks = clock.Ticks + (compare - mtime);
        // Beyond the clock's range (mtimecmp near all ones): it never comes, as QEMU caps its timer.
        if (ticks < clock.Ticks || ticks > ulong.MaxValue / VirtualClock.NanosecondsPerTick) return;
        ulong at = ticks * VirtualClock.NanosecondsPerTick;
        if (_eventAt[hart] is ulong pending && pending <= at) return;
        _eventAt[hart] = at;
        clock.Schedule(at, () => TimerEvent(hart, at));
    }

    private void TimerEvent(int hart, ulong at)
    {
        if (_eventAt[hart] == at) _eventAt[hart] = null;
        UpdateTimer(hart);
    }

    private void SetMtip(int hart, bool level)
    {
        if (_mtip[hart] == level) return;
        _mtip[hart] = level;
        if (level) _timerInterrupts++;
        _machine.Harts[hart].SetInterruptLine(InterruptBits.MachineTimer, level);
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"hart {hart} MTIP {(level ? "raised" : "lowered")} (mtime {Mtime})");
    }
}
