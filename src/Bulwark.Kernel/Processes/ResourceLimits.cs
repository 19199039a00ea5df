namespace Bulwark.Kernel.Processes;

/// <summary>A process's resource limits (getrlimit/setrlimit/prlimit64), inherited by fork and kept by exec.
/// Honoured: RLIMIT_NOFILE (descriptors), RLIMIT_STACK (the stack an exec maps), RLIMIT_NPROC (tasks of the
/// user, counted by clone). The others are kept and shown but limit nothing.</summary>
public sealed class ResourceLimits
{
    public const int Cpu = 0, Fsize = 1, Data = 2, Stack = 3, Core = 4, Rss = 5, Nproc = 6, Nofile = 7, Memlock = 8, As = 9,
        Locks = 10, Sigpending = 11, Msgqueue = 12, Nice = 13, Rtprio = 14, Rttime = 15, Count = 16;
    public const ulong Infinity = ulong.MaxValue;
    /// <summary>The most descriptors a process may have (Linux's fs.nr_open is larger; this bounds the table).</summary>
    public const ulong MaxNofile = 4096;
    /// <summary>The largest stack an exec maps, whatever RLIMIT_STACK says.</summary>
    public const ulong MaxStack = 256UL << 20;

    private readonly (ulong Cur, ulong Max)[] _limits = new (ulong, ulong)[Count];

    /// <summary>Linux's defaults for a user: 8 MiB stack, 1024 descriptors (hard 4096), no core files,
    /// <paramref name="tasks"/> processes and threads.</summary>
    public ResourceLimits(ulong tasks)
    {
        for (int i = 0; i < Count; i++) _limits[i] = (Infinity, Infinity);
        _limits[Stack] = (8UL << 20, Infinity);
        _limits[Core] = (0, Infinity);
        _limits[Nofile] = (1024, MaxNofile);
        _limits[Nproc] = (tasks, tasks);
        _limits[Memlock] = (8UL << 20, 8UL << 20);
        _limits[Sigpending] = (tasks, tasks);
        _limits[Msgqueue] = (819200, 819200);
        _limits[Nice] = (0, 0);
        _limits[Rtprio] = (0, 0);
    }

    private ResourceLimits(ResourceLimits other) => Array.Copy(other._limits, _limits, Count);

    public (ulong Cur, ulong Max) this[int resource]
    {
        get => _limits[resource];
        set => _limits[resource] = value;
    }

    public ResourceLimits Clone() => new(this);
}
