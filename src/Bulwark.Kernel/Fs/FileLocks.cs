using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>The locks of one file, with Linux's rules. Record locks (fcntl) cover byte ranges and belong to a
/// process (POSIX locks: released when the process closes any descriptor of the file, or exits) or to an open
/// file description (OFD locks: released with its last descriptor); the two kinds conflict with each other.
/// flock locks cover the whole file, belong to the open file description and are independent of record locks.
/// Blocked requests wait on one queue that every release wakes; a POSIX request that would wait in a cycle of
/// owners gets EDEADLK.</summary>
public sealed class FileLocks(KernelCore kernel)
{
    public const short ReadLock = 0, WriteLock = 1, Unlock = 2;

    /// <summary>One record lock: [Start, End] inclusive (End = long.MaxValue: to the end of the file, even as it grows).</summary>
    public sealed record Range(object Owner, bool Ofd, short Type, long Start, long End, int Pid);

    private readonly List<Range> _ranges = [];
    private readonly List<(OpenFile Owner, bool Exclusive)> _flocks = [];
    public WaitQueue Waiters { get; } = new();

    public static FileLocks Of(KernelCore kernel, RegularInode inode) => (FileLocks)(inode.Locks ??= new FileLocks(kernel));

    /// <summary>The first lock of another owner that conflicts with the request, or null.</summary>
    public Range? Conflict(object owner, short type, long start, long end) =>
        _ranges.FirstOrDefault(r => !ReferenceEquals(r.Owner, owner) && r.Start <= end && start <= r.End
            && (type == WriteLock || r.Type == WriteLock));

    /// <summary>Sets (or with <see cref="Unlock"/>, clears) the owner's lock on [start, end], splitting and
    /// merging its existing ranges as Linux does. The caller has checked for conflicts.</summary>
    public void Set(object owner, bool ofd, short type, long start, long end, int pid)
    {
        var mine = _ranges.Where(r => ReferenceEquals(r.Owner, owner)).ToList();
        foreach (var r in mine)
        {
            if (r.End < start || r.Start > end) continue;
            _ranges.Remove(r);
            if (r.Start < start) _ranges.Add(r with { End = start - 1 });
            if (r.End > end) _ranges.Add(r with { Start = end + 1 });
        }
        if (type != Unlock)
        {
            // Merge with touching ranges of the same type.
            foreach (var r in _ranges.Where(r => ReferenceEquals(r.Owner, owner) && r.Type == type).ToList())
            {
                bool touches = (start > long.MinValue && r.End == start - 1) || (end < long.MaxValue && r.Start == end + 1);
                if (!touches) continue;
                _ranges.Remove(r);
                start = Math.Min(start, r.Start);
                end = Math.Max(end, r.End);
            }
            _ranges.Add(new Range(owner, ofd, type, start, end, pid));
        }
        _ranges.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        Changed();
    }

    /// <summary>Drops every record lock of <paramref name="owner"/> (a process closing a descriptor, an OFD's last close).</summary>
    public void ReleaseOwner(object owner)
    {
        if (_ranges.RemoveAll(r => ReferenceEquals(r.Owner, owner)) > 0) Changed();
    }

    /// <summary>flock: a conflicting lock held through another open file description.</summary>
    public bool FlockConflict(OpenFile owner, bool exclusive) =>
        _flocks.Any(f => !ReferenceEquals(f.Owner, owner) && (exclusive || f.Exclusive));

    public void SetFlock(OpenFile owner, bool exclusive)
    {
        _flocks.RemoveAll(f => ReferenceEquals(f.Owner, owner));
        _flocks.Add((owner, exclusive));
        Changed();
    }

    public void ReleaseFlock(OpenFile owner)
    {
        if (_flocks.RemoveAll(f => ReferenceEquals(f.Owner, owner)) > 0) Changed();
    }

    private void Changed()
    {
        kernel.WakeAll(Waiters);
    }
}
