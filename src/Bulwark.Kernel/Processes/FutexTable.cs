namespace Bulwark.Kernel.Processes;

/// <summary>Futex wait queues keyed by the physical address of the futex word, so processes that
/// share a frame share its waiters.</summary>
public sealed class FutexTable
{
    private readonly Dictionary<ulong, WaitQueue> _queues = [];

    public WaitQueue QueueFor(ulong physicalAddress)
    {
        if (!_queues.TryGetValue(physicalAddress, out var q)) _queues[physicalAddress] = q = new WaitQueue();
        return q;
    }

    public WaitQueue? Existing(ulong physicalAddress) => _queues.GetValueOrDefault(physicalAddress);
}
