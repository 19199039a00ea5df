using System.Numerics;
using Bulwark.Machine.Cpu.Privileged;

namespace Bulwark.Machine.Devices.Plic;

/// <summary>The platform-level interrupt controller of QEMU's virt board (SiFive PLIC): sources 1..95
/// (source 0 does not exist: its priority and enable bit read 0), priorities of 3 bits (0 = never), two
/// contexts per hart. Context 2h is hart h's M mode and drives its MEIP; context 2h+1 is its S mode,
/// whose registers work as on QEMU but drive nothing, since Bulwark has no S mode.
/// Sources are level-triggered. A source is pending while its line is high and it is not claimed; a claim
/// returns the highest-priority pending source enabled for the context whose priority exceeds the
/// context's threshold (ties go to the lowest id), clears its pending bit and marks it claimed; completing
/// it re-arms it, so a line still high makes it pending again. As on QEMU, a completion names any source
/// (it need not be enabled for the completing context), and a line that drops clears the pending bit.
/// Only 32-bit accesses are accepted (QEMU's are the same).</summary>
public sealed class SifivePlic : IMmioDevice, IDeviceCounters
{
    /// <summary>Where QEMU's virt board puts it.</summary>
    public const ulong VirtBase = 0x0c00_0000;

    /// <summary>Source ids run below this (QEMU's VIRT_IRQCHIP_NUM_SOURCES, which counts source 0).</summary>
    public const int SourceLimit = 96;

    /// <summary>Three priority bits: priorities and thresholds keep the low three bits of what is written.</summary>
    public const uint MaxPriority = 7;

    public const ulong PriorityOffset = 0x0, PendingOffset = 0x1000, EnableOffset = 0x2000, EnableStride = 0x80,
        ContextOffset = 0x20_0000, ContextStride = 0x1000;

    private const int Words = (SourceLimit + 31) / 32;
    private const ulong QemuVirtMaxHarts = 512;

    private readonly Machine _machine;
    private readonly RegisterMap _registers;
    private readonly PlicSource[] _sources;
    private readonly uint[] _priority = new uint[SourceLimit];
    private readonly uint[] _level = new uint[Words];
    private readonly uint[] _pending = new uint[Words];
    private readonly uint[] _claimed = new uint[Words];
    private readonly uint[] _enable;
    private readonly uint[] _threshold;
    private readonly bool[] _meip;
    private long _claims, _interrupts;

    public SifivePlic(Machine machine)
    {
        _machine = machine;
        int contexts = 2 * machine.Harts.Count;
        _enable = new uint[contexts * Words];
        _threshold = new uint[contexts];
        _meip = new bool[machine.Harts.Count];
        _sources = Enumerable.Range(0, SourceLimit).Select(irq => new PlicSource(this, irq)).ToArray();
        _registers = new RegisterMap(Name, machine.DeviceTrace)
            .DefineArray32(PriorityOffset, SourceLimit, 4, "priority", irq => _priority[irq], WritePriority)
            .DefineArray32(PendingOffset, Words, 4, "pending", w => _pending[w])
            .DefineArray32(ContextOffset, contexts, ContextStride, "threshold", c => _threshold[c], WriteThreshold)
            .DefineArray32(ContextOffset + 4, contexts, ContextStride, "claim", Claim, Complete);
        for (int c = 0; c < contexts; c++)
        {
            int context = c;
            _registers.DefineArray32(EnableOffset + (ulong)c * EnableStride, Words, 4, $"enable[{c}]",
                w => _enable[context * Words + w], (w, v) => WriteEnable(context, w, v));
        }
    }

    public string Name => "plic";

    /// <summary>QEMU's virt board sizes the window for its most harts (two contexts each), whatever the
    /// number it runs: 0x600000. Contexts past this machine's read 0 and ignore writes, as on QEMU.</summary>
    public ulong Size => ContextOffset + 2 * QemuVirtMaxHarts * ContextStride;

    public IEnumerable<(string Name, long Value)> Counters =>
    [
        ("claims", _claims),
        ("interrupts", _interrupts),
    ];

    /// <summary>The wire a device drives for source <paramref name="irq"/> (1..95).</summary>
    public IInterruptLine Source(int irq)
    {
        if (irq is < 1 or >= SourceLimit) throw new ArgumentOutOfRangeException(nameof(irq), $"PLIC sources are 1..{SourceLimit - 1}");
        return _sources[irq];
    }

    public bool Read(ulong offset, int size, out ulong value)
    {
        value = 0;
        return size == 4 && offset % 4 == 0 && _registers.Read(offset, size, out value);
    }

    public bool Write(ulong offset, int size, ulong value) =>
        size == 4 && offset % 4 == 0 && _registers.Write(offset, size, value);

    internal void SetSourceLevel(int irq, bool level)
    {
        int w = irq / 32;
        uint bit = 1u << (irq % 32);
        if (((_level[w] & bit) != 0) == level) return;
        _level[w] ^= bit;
        if (level && (_claimed[w] & bit) == 0) _pending[w] |= bit;
        if (!level) _pending[w] &= ~bit;
        Update();
    }

    private void WritePriority(int irq, uint value)
    {
        if (irq == 0) return;
        _priority[irq] = value & MaxPriority;
        Update();
    }

    private void WriteEnable(int context, int word, uint value)
    {
        if (word == 0) value &= ~1u;   // source 0
        _enable[context * Words + word] = value;
        Update();
    }

    private void WriteThreshold(int context, uint value)
    {
        _threshold[context] = value & MaxPriority;
        Update();
    }

    private uint Claim(int context)
    {
        int irq = Best(context);
        if (irq != 0)
        {
            uint bit = 1u << (irq % 32);
            _pending[irq / 32] &= ~bit;
            _claimed[irq / 32] |= bit;
            _claims++;
            Update();
        }
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"context {context} claims {irq}");
        return (uint)irq;
    }

    private void Complete(int context, uint irq)
    {
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"context {context} completes {irq}");
        if (irq >= SourceLimit) return;
        int w = (int)irq / 32;
        uint bit = 1u << ((int)irq % 32);
        _claimed[w] &= ~bit;
        _pending[w] |= _level[w] & bit;
        Update();
    }

    /// <summary>The source a claim by <paramref name="context"/> would get now, or 0.</summary>
    private int Best(int context)
    {
        int best = 0;
        uint bestPriority = _threshold[context];
        for (int w = 0; w < Words; w++)
        {
            uint candidates = _pending[w] & ~_claimed[w] & _enable[context * Words + w];
            while (candidates != 0)
            {
                int irq = 32 * w + BitOperations.TrailingZeroCount(candidates);
                candidates &= candidates - 1;
                if (_priority[irq] > bestPriority)
                {
                    best = irq;
                    bestPriority = _priority[irq];
                }
            }
        }
        return best;
    }

    /// <summary>Drives each hart's MEIP from whether its M-mode context has something to claim.</summary>
    private void Update()
    {
        for (int hart = 0; hart < _meip.Length; hart++)
        {
            bool level = Best(2 * hart) != 0;
            if (level == _meip[hart]) continue;
            _meip[hart] = level;
            if (level) _interrupts++;
            _machine.Harts[hart].SetInterruptLine(InterruptBits.MachineExternal, level);
            if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"hart {hart} MEIP {(level ? "raised" : "lowered")}");
        }
    }
}
