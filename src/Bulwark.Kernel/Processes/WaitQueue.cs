namespace Bulwark.Kernel.Processes;

/// <summary>Threads blocked on one condition, woken in FIFO order (deterministic).</summary>
public sealed class WaitQueue
{
    private readonly List<GuestThread> _waiters = [];
    /// <summary>Per waiter data, e.g. a futex bitset.</summary>
    private readonly Dictionary<GuestThread, uint> _tags = [];

    public int Count => _waiters.Count;
    public IReadOnlyList<GuestThread> Waiters => _waiters;

    public void Add(GuestThread t, uint tag = uint.MaxValue)
    {
        _waiters.Add(t);
        _tags[t] = tag;
    }

    public uint TagOf(GuestThread t) => _tags[t];

    public void Remove(GuestThread t)
    {
        _waiters.Remove(t);
        _tags.Remove(t);
    }
}
