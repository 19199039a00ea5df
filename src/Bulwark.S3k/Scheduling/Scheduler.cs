using Bulwark.S3k.Kernel;
using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Scheduling;

/// <summary>sched.c's choice of the process a hart runs. Time is cut into slots of SlotTicks; a hart
/// picks, at the start of a slot (or as soon as it asks during one, if the slot has not ended within the
/// scheduler's own time), the process owning that slot if it can be acquired, and runs it until the end
/// of the owner's slice minus the scheduler's time. On several harts, a process owning the same slot on
/// more than one hart runs where its slice is longest (the lower hart on a tie).</summary>
public sealed class Scheduler(S3kConfig config, SlotTable slots, ProcessTable procs, IKernelTimer timer, KernelLog log)
{
    private readonly ulong _len = config.SlotTicks, _schedTime = config.SchedTicks;
    private readonly bool _smp = config.Harts > 1;
    private readonly int _minHart = config.Platform.MinHart, _maxHart = config.Platform.MaxHart;

    /// <summary>sched_init: every hart's slots belong to process 0.</summary>
    public void Init()
    {
        for (int hart = _minHart; hart <= _maxHart; hart++) slots.Update(0, (ulong)config.SlotCount, (ulong)hart, 0, (ulong)config.SlotCount);
    }

    /// <summary>sched_fetch: the owner of the slot, acquired; or null, with the time at which asking again
    /// for the same slot could succeed because the owner's timeout passes (ulong.MaxValue if not).</summary>
    public Process? Fetch(int hart, ulong slot, out ulong ownerTimeout)
    {
        ownerTimeout = ulong.MaxValue;
        var (pid, length) = slots.Info(hart, slot);
        if (length == 0) return null;
        if (_smp)
        {
            for (int i = _minHart; i < hart; i++)
            {
                var other = slots.Info(i, slot);
                if (pid == other.Pid && length <= other.Length) return null;
            }
            // As in s3k, the highest hart is not compared with.
            for (int i = hart + 1; i < _maxHart; i++)
            {
                var other = slots.Info(i, slot);
                if (pid == other.Pid && length < other.Length) return null;
            }
        }
        var proc = procs.Get((ulong)pid);
        if (!procs.Acquire(proc))
        {
            if ((proc.State & (ProcState.Busy | ProcState.Suspended)) == 0) ownerTimeout = proc.Timeout;
            return null;
        }
        log.Print(2, $"# sched(hart={hart},pid={pid},slot={slot % (ulong)config.SlotCount})\n");
        proc.Timeout = (slot + (ulong)length) * _len - _schedTime;
        return proc;
    }

    /// <summary>One turn of sched()'s loop at the current time: the process to run, or null and when the
    /// loop could next find one (the start of the slot it waits for, or its owner's timeout). The real
    /// kernel spins; a hart of this one sleeps until then, or until another hart changes something.</summary>
    public Process? Pick(int hart, out ulong retryAt)
    {
        ulong now = timer.Time;
        ulong slot = (now + _schedTime) / _len;
        if (now < slot * _len)
        {
            retryAt = slot * _len;
            return null;
        }
        var proc = Fetch(hart, slot, out ulong ownerTimeout);
        retryAt = proc != null ? 0 : Math.Min((slot + 1) * _len, ownerTimeout);
        return proc;
    }
}
