namespace Bulwark.Kernel.Processes;

/// <summary>Identifies a futex word independently of which physical frame currently holds it (a
/// protection may move a page to a new frame): a private word by its address space and address, a
/// word of shared memory by its shared-memory object and offset.</summary>
public readonly record struct FutexKey(object Owner, ulong Offset);

/// <summary>Futex wait queues by <see cref="FutexKey"/>.</summary>
public sealed class FutexTable
{
    private readonly Dictionary<FutexKey, WaitQueue> _queues = [];

    public WaitQueue QueueFor(FutexKey key)
    {
        if (!_queues.TryGetValue(key, out var q)) _queues[key] = q = new WaitQueue();
        return q;
    }

    public WaitQueue? Existing(FutexKey key) => _queues.GetValueOrDefault(key);
}
