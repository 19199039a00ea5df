namespace Bulwark.Machine;

/// <summary>The only time the guest sees. Advanced by whoever schedules the harts; never the host clock.
/// Devices schedule their future work (a timer compare, a request completing) as events, which the
/// board's scheduler fires in time order (ties in the order they were scheduled), so runs repeat.</summary>
public sealed class VirtualClock
{
    /// <summary>The rdtime tick rate, as on QEMU's virt board.</summary>
    public const ulong TimebaseHz = 10_000_000;
    public const ulong NanosecondsPerTick = 1_000_000_000 / TimebaseHz;

    private readonly PriorityQueue<Action, (ulong At, long Sequence)> _events = new();
    private long _sequence;

    public ulong Nanoseconds { get; private set; }

    public ulong Ticks => Nanoseconds / NanosecondsPerTick;

    public void Advance(ulong ns) => Nanoseconds += ns;

    public void AdvanceTo(ulong ns)
    {
        if (ns > Nanoseconds) Nanoseconds = ns;
    }

    /// <summary>Runs <paramref name="action"/> once the clock reaches <paramref name="atNs"/> (at once if it has).</summary>
    public void Schedule(ulong atNs, Action action) => _events.Enqueue(action, (atNs, _sequence++));

    /// <summary>The time of the earliest pending event, if any.</summary>
    public bool TryPeekNextEvent(out ulong atNs)
    {
        bool any = _events.TryPeek(out _, out var key);
        atNs = key.At;
        return any;
    }

    /// <summary>Fires every event due by now, including those that due events schedule for now.</summary>
    public int FireDueEvents()
    {
        int fired = 0;
        while (_events.TryPeek(out var action, out var key) && key.At <= Nanoseconds)
        {
            _events.Dequeue();
            action();
            fired++;
        }
        return fired;
    }
}
