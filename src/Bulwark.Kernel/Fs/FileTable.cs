namespace Bulwark.Kernel.Fs;

/// <summary>A process's file descriptors. Threads share one table; fork copies it.</summary>
public sealed class FileTable
{
    public const int MaxFds = 4096;
    private readonly SortedDictionary<int, (OpenFile File, bool CloseOnExec)> _fds = [];

    /// <summary>RLIMIT_NOFILE: descriptors are below this (at most <see cref="MaxFds"/>).</summary>
    public int Limit { get; set; } = 1024;

    public int Count => _fds.Count;

    /// <summary>Who owns the POSIX record locks taken through this table (its process): closing any
    /// descriptor of a file releases them.</summary>
    public object? LockOwner { get; set; }

    public OpenFile? Get(int fd) => _fds.TryGetValue(fd, out var e) ? e.File : null;

    public IEnumerable<int> Descriptors => _fds.Keys;

    /// <summary>Installs <paramref name="file"/> at the lowest free descriptor >= <paramref name="min"/>; -EMFILE if none.</summary>
    public int Add(OpenFile file, bool closeOnExec = false, int min = 0)
    {
        for (int fd = min; fd < Limit; fd++)
        {
            if (_fds.ContainsKey(fd)) continue;
            _fds[fd] = (file, closeOnExec);
            return fd;
        }
        return -Errno.EMFILE;
    }

    public void Set(int fd, OpenFile file, bool closeOnExec) => _fds[fd] = (file, closeOnExec);

    public OpenFile? Remove(int fd)
    {
        if (!_fds.Remove(fd, out var e)) return null;
        if (LockOwner != null && e.File.Inode is RegularInode { Locks: FileLocks locks }) locks.ReleaseOwner(LockOwner);
        return e.File;
    }

    public bool GetCloseOnExec(int fd) => _fds.TryGetValue(fd, out var e) && e.CloseOnExec;

    public void SetCloseOnExec(int fd, bool value)
    {
        if (_fds.TryGetValue(fd, out var e)) _fds[fd] = (e.File, value);
    }

    public FileTable Fork()
    {
        var copy = new FileTable { Limit = Limit };
        foreach (var (fd, e) in _fds)
        {
            e.File.AddReference();
            copy._fds[fd] = e;
        }
        return copy;
    }
}
