using System.Text;

namespace Bulwark.Kernel.Fs.Proc;

/// <summary>/proc: made up when looked at, for the process that looks. Its node numbers are fixed by
/// what they describe (pid and entry), never by the order of lookups, so they repeat between runs.</summary>
public static class ProcFs
{
    public const long InodeBase = 0x4000_0000;

    public static void Mount(KernelCore kernel)
    {
        var root = kernel.Files.Root;
        root.Link("proc", new ProcRoot(kernel));
    }

    /// <summary>A read-only file whose bytes were made at lookup (reads see one consistent snapshot).</summary>
    internal static RegularInode File(long ino, string text) =>
        new(ino, Encoding.UTF8.GetBytes(text)) { ReadOnly = true, Permissions = 0x124 };
}

/// <summary>/proc itself: self, thread-self, one directory per process, and the system files.</summary>
public sealed class ProcRoot : DirectoryInode
{
    private const string SystemFileNames = "cpuinfo loadavg meminfo mounts stat uptime version";
    private static string[] SystemFiles => SystemFileNames.Split(' ');
    private readonly KernelCore _kernel;

    public ProcRoot(KernelCore kernel) : base(ProcFs.InodeBase)
    {
        _kernel = kernel;
        ReadOnly = true;
    }

    public override int Links { get => 2; set { } }

    public override Inode? Lookup(string name, Processes.Process? caller)
    {
        if (name == "self") return new ProcLink(Ino + 1, p => p == null ? "" : p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (name == "thread-self") return new ProcLink(Ino + 2, p => p == null ? "" : $"{p.Pid}/task/{p.Pid}");
        if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
            && _kernel.FindProcess(pid) is { } process && name == pid.ToString(System.Globalization.CultureInfo.InvariantCulture))
            return Adopt(new ProcPidDirectory(_kernel, process), name);
        int index = Array.IndexOf(SystemFiles, name);
        if (index < 0) return null;
        string text = name switch
        {
            "cpuinfo" => ProcText.CpuInfo(_kernel),
            "loadavg" => ProcText.LoadAvg(_kernel),
            "meminfo" => ProcText.MemInfo(_kernel),
            "mounts" => "proc /proc proc ro 0 0\nbulwark / bulwark rw 0 0\n",
            "stat" => ProcText.Stat(_kernel),
            "uptime" => ProcText.Uptime(_kernel),
            _ => "Linux version 6.1.0 (bulwark) #1 SMP Bulwark\n",
        };
        return ProcFs.File(Ino + 16 + index, text);
    }

    public override IEnumerable<KeyValuePair<string, Inode>> List(Processes.Process? caller)
    {
        var names = new List<string>(SystemFiles) { "self", "thread-self" };
        names.AddRange(_kernel.Processes.Select(p => p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
            if (Lookup(name, caller) is { } node) yield return new(name, node);
    }

    private DirectoryInode Adopt(DirectoryInode dir, string name)
    {
        dir.Parent = this;
        dir.Name = name;
        return dir;
    }
}

/// <summary>A /proc link whose target depends on who reads it (self), or that leads straight to a node (exe, fd/N).</summary>
public sealed class ProcLink(long ino, Func<Processes.Process?, string> target, Func<Inode?>? jump = null) : SymlinkInode(ino, "")
{
    public override string Target(Processes.Process? caller) => target(caller);
    public override Inode? Jump(Processes.Process? caller) => jump?.Invoke();
    public override long Size => 64;
}
