using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>The guest's file system: an in-memory tree with /dev, /etc, a writable /tmp and home
/// directory, and host directories copied in read-only by --mount (which may replace any of them).</summary>
public sealed class Vfs
{
    /// <summary>Symbolic links followed in one resolution before ELOOP (Linux's MAXSYMLINKS).</summary>
    public const int MaxSymlinks = 40;
    public const int MaxNameLength = 255;
    private long _lastInodeNumber;

    public Vfs(IEnumerable<(string Host, string Guest)> mounts)
    {
        Root = NewDirectory();
        Root.Parent = Root;
        var dev = MakeDirectories("/dev");
        dev.Link("null", new DeviceInode(NextInodeNumber(), () => new NullDevice()));
        dev.Link("zero", new DeviceInode(NextInodeNumber(), () => new ZeroDevice()));
        dev.Link("urandom", new DeviceInode(NextInodeNumber(), () => new RandomDevice()));
        dev.Link("random", new DeviceInode(NextInodeNumber(), () => new RandomDevice()));
        dev.Link("dfbench", new DeviceInode(NextInodeNumber(), () => new Lab.DoubleFetch.DfBenchDevice()));
        dev.Link("fd", NewSymlink("/proc/self/fd"));
        dev.Link("stdin", NewSymlink("/proc/self/fd/0"));
        dev.Link("stdout", NewSymlink("/proc/self/fd/1"));
        dev.Link("stderr", NewSymlink("/proc/self/fd/2"));
        MakeDirectories("/tmp");
        EtcFiles.Install(this);
        foreach (var (host, guest) in mounts) Mount(host, guest);
    }

    public DirectoryInode Root { get; }

    /// <summary>Inode numbers count up from 1 in each file system, in the order its nodes are made.</summary>
    public long NextInodeNumber() => ++_lastInodeNumber;

    public DirectoryInode NewDirectory(bool readOnly = false) => new(NextInodeNumber()) { ReadOnly = readOnly };

    public RegularInode NewFile(byte[] data, bool readOnly = false) => new(NextInodeNumber(), data) { ReadOnly = readOnly };

    public SymlinkInode NewSymlink(string target) => new(NextInodeNumber(), target);

    public DirectoryInode MakeDirectories(string path)
    {
        var dir = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!dir.Children.TryGetValue(part, out var next))
                dir.Link(part, next = NewDirectory());
            dir = next as DirectoryInode ?? throw new MountException($"mount point component '{part}' of {path} is a file");
        }
        return dir;
    }

    private void Mount(string host, string guest)
    {
        if (!Directory.Exists(host)) throw new MountException($"--mount {host}: no such host directory");
        if (!guest.StartsWith('/')) throw new MountException($"--mount {host}:{guest}: the guest path must be absolute");
        var target = MakeDirectories(guest);
        CopyIn(new DirectoryInfo(host), target);
    }

    private void CopyIn(DirectoryInfo source, DirectoryInode target)
    {
        foreach (var entry in source.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.LinkTarget is { } linkTarget)
            {
                // A host symbolic link stays a link (busybox applets are links to one binary).
                target.Link(entry.Name, NewSymlink(linkTarget));
            }
            else if (entry is DirectoryInfo sub)
            {
                var dir = NewDirectory(readOnly: true);
                target.Link(sub.Name, dir);
                CopyIn(sub, dir);
            }
            else if (entry is FileInfo file)
            {
                try
                {
                    var node = NewFile(File.ReadAllBytes(file.FullName), readOnly: true);
                    if (!OperatingSystem.IsWindows()) node.Permissions = (uint)file.UnixFileMode & 0xFFF;
                    target.Link(file.Name, node);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new MountException($"--mount: cannot read {file.FullName}: {e.Message}");
                }
            }
        }
    }

    /// <summary>The absolute path of a directory, from its parents (what getcwd shows).</summary>
    public static string PathOf(DirectoryInode dir)
    {
        var parts = new List<string>();
        for (var d = dir; d.Parent != null && !ReferenceEquals(d.Parent, d); d = d.Parent) parts.Add(d.Name);
        parts.Reverse();
        return "/" + string.Join('/', parts);
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="cwd"/>, following symbolic links
    /// in every component and, if <paramref name="followLast"/>, in the last one. Returns the node and the
    /// directory holding its name, or -errno (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG). When only the last
    /// component is missing, <paramref name="parent"/> and <paramref name="leaf"/> say where it would be
    /// created. <paramref name="caller"/> is who asks (for /proc/self).</summary>
    public int Resolve(string cwd, string path, out Inode? node, out DirectoryInode? parent, out string leaf,
        bool followLast = true, Process? caller = null) =>
        Resolve(cwd, null, path, out node, out parent, out leaf, followLast, caller);

    /// <summary>As above, relative to <paramref name="start"/> (a directory descriptor's) when given.</summary>
    public int Resolve(string cwd, DirectoryInode? start, string path, out Inode? node, out DirectoryInode? parent, out string leaf,
        bool followLast = true, Process? caller = null)
    {
        node = null;
        parent = null;
        leaf = "";
        if (path.Length == 0) return -Errno.ENOENT;
        DirectoryInode current;
        if (path.StartsWith('/')) current = Root;
        else if (start != null) current = start;
        else
        {
            int r = Resolve("/", null, cwd, out var cwdNode, out _, out _, true, caller);
            if (r < 0) return r;
            if (cwdNode is not DirectoryInode cwdDir) return -Errno.ENOTDIR;
            current = cwdDir;
        }
        bool mustBeDirectory = path.EndsWith('/');
        // Components still to walk, the next one last.
        var pending = new List<string>();
        Push(pending, path);
        int links = 0;
        Inode here = current;
        parent = current;
        leaf = ".";
        while (pending.Count > 0)
        {
            string name = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (here is not DirectoryInode dir) return -Errno.ENOTDIR;
            if (name.Length > MaxNameLength) return -Errno.ENAMETOOLONG;
            bool last = pending.Count == 0;
            if (name == ".")
            {
                parent = dir.Parent ?? dir;
                leaf = ".";
                continue;
            }
            if (name == "..")
            {
                here = dir.Parent ?? dir;
                parent = ((DirectoryInode)here).Parent ?? (DirectoryInode)here;
                leaf = "..";
                continue;
            }
            var next = dir.Lookup(name, caller);
            parent = dir;
            leaf = name;
            if (next == null)
            {
                if (!last)
                {
                    parent = null;
                    leaf = "";
                }
                return -Errno.ENOENT;
            }
            if (next is SymlinkInode link && (!last || followLast || mustBeDirectory))
            {
                if (++links > MaxSymlinks) return -Errno.ELOOP;
                if (link.Jump(caller) is { } jumped)
                {
                    here = jumped;
                    continue;
                }
                string target = link.Target(caller);
                if (target.Length == 0) return -Errno.ENOENT;
                if (target.StartsWith('/')) here = Root;
                else here = dir;
                Push(pending, target);
                if (pending.Count == 0)
                {
                    // A link to "/": the root itself.
                    parent = Root;
                    leaf = "/";
                }
                continue;
            }
            here = next;
        }
        if (mustBeDirectory && here is not DirectoryInode) return -Errno.ENOTDIR;
        node = here;
        return 0;
    }

    private static void Push(List<string> pending, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--) pending.Add(parts[i]);
    }

    public static string Normalize(string cwd, string path) => "/" + string.Join('/', Components(cwd, path));

    /// <summary>The components of <paramref name="path"/> made absolute against <paramref name="cwd"/>,
    /// with "." and ".." resolved lexically.</summary>
    private static List<string> Components(string cwd, string path)
    {
        string full = path.StartsWith('/') ? path : cwd.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var p in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return parts;
    }
}

public sealed class MountException(string message) : Exception(message);
