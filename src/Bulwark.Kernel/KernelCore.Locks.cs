namespace Bulwark.Kernel;

/// <summary>Which POSIX lock owner waits for which (for EDEADLK), kernel-wide as in Linux.</summary>
public sealed partial class KernelCore
{
    private readonly Dictionary<object, object> _lockWaits = new(ReferenceEqualityComparer.Instance);

    /// <summary>Would <paramref name="waiter"/> waiting for <paramref name="holder"/> close a cycle of waits?</summary>
    public bool LockWaitWouldDeadlock(object waiter, object holder)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (object? owner = holder; owner != null && seen.Add(owner); owner = _lockWaits.GetValueOrDefault(owner))
            if (ReferenceEquals(owner, waiter)) return true;
        return false;
    }

    public void LockWaitBegins(object waiter, object holder) => _lockWaits[waiter] = holder;

    public void LockWaitEnds(object waiter) => _lockWaits.Remove(waiter);
}
