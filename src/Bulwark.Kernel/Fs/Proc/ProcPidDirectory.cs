using System.Globalization;

namespace Bulwark.Kernel.Fs.Proc;

/// <summary>/proc/PID: cmdline, comm, cwd, environ, exe, fd/, maps, stat, statm, status, task/.</summary>
public sealed class ProcPidDirectory : DirectoryInode
{
    private const string EntryNames = "cmdline comm cwd environ exe fd maps stat statm status task";
    private static string[] Entries => EntryNames.Split(' ');
    private readonly KernelCore _kernel;
    private readonly Processes.Process _process;

    public ProcPidDirectory(KernelCore kernel, Processes.Process process) : base(ProcFs.InodeBase + ((long)process.Pid << 8))
    {
        _kernel = kernel;
        _process = process;
        ReadOnly = true;
    }

    public override int Links { get => 4; set { } }

    public override Inode? Lookup(string name, Processes.Process? caller)
    {
        int index = Array.IndexOf(Entries, name);
        if (index < 0) return null;
        long ino = Ino + 1 + index;
        var p = _process;
        return name switch
        {
            "cmdline" => ProcFs.File(ino, p.Exited ? "" : Joined(p.Arguments)),
            "comm" => ProcFs.File(ino, p.Comm + "\n"),
            "cwd" => new ProcLink(ino, _ => p.WorkingDirectory),
            "environ" => ProcFs.File(ino, p.Exited ? "" : Joined(p.EnvironmentStrings)),
            "exe" => new ProcLink(ino, _ => p.ExePath, () => p.Executable),
            "fd" => Adopt(new ProcFdDirectory(_kernel, p, ino), name),
            "maps" => ProcFs.File(ino, ProcText.Maps(p)),
            "stat" => ProcFs.File(ino, ProcText.PidStat(_kernel, p)),
            "statm" => ProcFs.File(ino, ProcText.Statm(p)),
            "status" => ProcFs.File(ino, ProcText.Status(_kernel, p)),
            _ => Adopt(new ProcTaskDirectory(_kernel, p, ino), name),
        };
    }

    public override IEnumerable<KeyValuePair<string, Inode>> List(Processes.Process? caller)
    {
        foreach (var name in Entries)
            if (Lookup(name, caller) is { } node) yield return new(name, node);
    }

    private static string Joined(IReadOnlyList<string> strings) => string.Concat(strings.Select(s => s + "\0"));

    private DirectoryInode Adopt(DirectoryInode dir, string name)
    {
        dir.Parent = this;
        dir.Name = name;
        return dir;
    }
}

/// <summary>/proc/PID/fd: one link per descriptor, named as Linux names what it leads to.</summary>
public sealed class ProcFdDirectory : DirectoryInode
{
    private readonly KernelCore _kernel;
    private readonly Processes.Process _process;

    public ProcFdDirectory(KernelCore kernel, Processes.Process process, long ino) : base(ino << 12)
    {
        _kernel = kernel;
        _process = process;
        ReadOnly = true;
    }

    public override int Links { get => 2; set { } }

    public override Inode? Lookup(string name, Processes.Process? caller)
    {
        if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int fd) || name != fd.ToString(CultureInfo.InvariantCulture)) return null;
        if (_process.Files.Get(fd) is not { } file) return null;
        long ino = Ino + 1 + fd;
        return new ProcLink(ino, _ => Describe(_kernel, file), () => file.Inode as Inode ?? new OpenFileInode(ino, file));
    }

    public override IEnumerable<KeyValuePair<string, Inode>> List(Processes.Process? caller)
    {
        foreach (int fd in _process.Files.Descriptors.ToArray())
        {
            string name = fd.ToString(CultureInfo.InvariantCulture);
            if (Lookup(name, caller) is { } node) yield return new(name, node);
        }
    }

    /// <summary>A path for files of the tree, "pipe:[N]", "socket:[N]", "anon_inode:[eventfd]" and so on otherwise.</summary>
    public static string Describe(KernelCore kernel, OpenFile file) => file switch
    {
        PipeEnd => $"pipe:[{file.StatIno}]",
        EventFd => "anon_inode:[eventfd]",
        EpollFile => "anon_inode:[eventpoll]",
        TimerFd => "anon_inode:[timerfd]",
        HostInput or HostOutput => "/dev/pts/0",
        NullDevice => "/dev/null",
        ZeroDevice => "/dev/zero",
        RandomDevice => "/dev/urandom",
        _ when file.Inode is DirectoryInode dir => Vfs.PathOf(dir),
        _ when file.Inode is { } inode => PathOfNode(kernel.Files.Root, inode) ?? "(deleted)",
        _ => file.StatIno is { } ino ? $"socket:[{ino}]" : "anon_inode:[unknown]",
    };

    /// <summary>Where a node has a name (depth-first in name order), or null once it has none.</summary>
    private static string? PathOfNode(DirectoryInode root, Inode target, string prefix = "")
    {
        foreach (var (name, child) in root.Children)
        {
            if (ReferenceEquals(child, target)) return prefix + "/" + name;
            if (child is DirectoryInode d && d is not ProcRoot && PathOfNode(d, target, prefix + "/" + name) is { } found) return found;
        }
        return null;
    }
}

/// <summary>/proc/PID/task: one directory per thread, with its status and stat.</summary>
public sealed class ProcTaskDirectory : DirectoryInode
{
    private readonly KernelCore _kernel;
    private readonly Processes.Process _process;

    public ProcTaskDirectory(KernelCore kernel, Processes.Process process, long ino) : base(ino << 20)
    {
        _kernel = kernel;
        _process = process;
        ReadOnly = true;
    }

    public override Inode? Lookup(string name, Processes.Process? caller)
    {
        if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int tid)) return null;
        var thread = _process.Threads.FirstOrDefault(t => t.Tid == tid && t.State != Processes.RunState.Dead);
        if (thread == null) return null;
        var dir = new DirectoryInode(Ino + tid * 8L) { ReadOnly = true, Parent = this, Name = name };
        dir.Children["comm"] = ProcFs.File(dir.Ino + 1, _process.Comm + "\n");
        dir.Children["stat"] = ProcFs.File(dir.Ino + 2, ProcText.PidStat(_kernel, _process));
        dir.Children["status"] = ProcFs.File(dir.Ino + 3, ProcText.Status(_kernel, _process));
        return dir;
    }

    public override IEnumerable<KeyValuePair<string, Inode>> List(Processes.Process? caller)
    {
        foreach (var t in _process.Threads.Where(t => t.State != Processes.RunState.Dead).ToArray())
        {
            string name = t.Tid.ToString(CultureInfo.InvariantCulture);
            if (Lookup(name, caller) is { } node) yield return new(name, node);
        }
    }
}
