using Bulwark.S3k.Kernel;

namespace Bulwark.S3k.Scheduling;

/// <summary>The time slots of every hart (sched.c's slots[]): per slot a 64-bit word with a 16-bit field
/// per hart holding the owner's pid (high byte) and how many slots remain of its slice (low byte; 0: no
/// owner). TIME capabilities write it when derived, moved, deleted and revoked.</summary>
public sealed class SlotTable
{
    private readonly ulong[] _slots;
    private readonly int _minHart;
    private readonly KernelLog _log;

    public SlotTable(S3kConfig config, KernelLog log)
    {
        _slots = new ulong[config.SlotCount];
        _minHart = config.Platform.MinHart;
        _log = log;
    }

    public int Count => _slots.Length;

    /// <summary>sched_update: slots [from, to) of the hart go to pid, each with its distance to end.</summary>
    public void Update(ulong pid, ulong end, ulong hart, ulong from, ulong to)
    {
        _log.Print(1, $"# sched_update(pid={pid},end={end},hart={hart},from={from},to={to})\n");
        int offset = (int)(hart - (ulong)_minHart) * 16;
        ulong mask = 0xffffUL << offset;
        for (ulong i = from; i < to; i++)
        {
            _slots[i] &= ~mask;
            _slots[i] |= ((pid << 8) | (end - i)) << offset;
        }
    }

    /// <summary>sched_delete: slots [from, to) of the hart have no owner.</summary>
    public void Delete(ulong hart, ulong from, ulong to)
    {
        _log.Print(1, $"# sched_delete(hart={hart},from={from},to={to})\n");
        int offset = (int)(hart - (ulong)_minHart) * 16;
        ulong mask = 0xffffUL << offset;
        for (ulong i = from; i < to; i++) _slots[i] &= ~mask;
    }

    /// <summary>slot_info_get: the owner and remaining length of a slot (any absolute slot number).</summary>
    public (int Pid, int Length) Info(int hart, ulong slot)
    {
        ulong entry = _slots[slot % (ulong)_slots.Length] >> ((hart - _minHart) * 16);
        return ((int)((entry >> 8) & 0xff), (int)(entry & 0xff));
    }
}
