namespace Bulwark.Kernel.Fs;

/// <summary>The guest's file system: an in-memory tree with /dev, a writable /tmp, and host
/// directories copied in read-only by --mount.</summary>
public sealed class Vfs
{
    private long _lastInodeNumber;

    public Vfs(IEnumerable<(string Host, string Guest)> mounts)
    {
        Root = NewDirectory();
        var dev = MakeDirectories("/dev");
        dev.Children["null"] = new DeviceInode(NextInodeNumber(), () => new NullDevice());
        dev.Children["zero"] = new DeviceInode(NextInodeNumber(), () => new ZeroDevice());
        dev.Children["urandom"] = new DeviceInode(NextInodeNumber(), () => new RandomDevice());
        dev.Children["random"] = new DeviceInode(NextInodeNumber(), () => new RandomDevice());
        dev.Children["dfbench"] = new DeviceInode(NextInodeNumber(), () => new Lab.DoubleFetch.DfBenchDevice());
        MakeDirectories("/tmp");
        foreach (var (host, guest) in mounts) Mount(host, guest);
    }

    public DirectoryInode Root { get; }

    /// <summary>Inode numbers count up from 1 in each file system, in the order its nodes are made.</summary>
    public long NextInodeNumber() => ++_lastInodeNumber;

    public DirectoryInode NewDirectory(bool readOnly = false) => new(NextInodeNumber()) { ReadOnly = readOnly };

    public RegularInode NewFile(byte[] data, bool readOnly = false) => new(NextInodeNumber(), data) { ReadOnly = readOnly };

    public DirectoryInode MakeDirectories(string path)
    {
        var dir = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!dir.Children.TryGetValue(part, out var next))
                dir.Children[part] = next = NewDirectory();
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
            if (entry is DirectoryInfo sub)
            {
                var dir = NewDirectory(readOnly: true);
                target.Children[sub.Name] = dir;
                CopyIn(sub, dir);
            }
            else if (entry is FileInfo file)
            {
                try { target.Children[file.Name] = NewFile(File.ReadAllBytes(file.FullName), readOnly: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new MountException($"--mount: cannot read {file.FullName}: {e.Message}");
                }
            }
        }
    }

    /// <summary>Resolves <paramref name="path"/> against <paramref name="cwd"/>; returns the node and its
    /// parent directory, or -errno (ENOENT, ENOTDIR). When only the last component is missing,
    /// <paramref name="parent"/> and <paramref name="leaf"/> say where it would be created.</summary>
    public int Resolve(string cwd, string path, out Inode? node, out DirectoryInode? parent, out string leaf)
    {
        node = null;
        parent = null;
        leaf = "";
        var parts = Components(cwd, path);
        Inode current = Root;
        parent = Root;
        for (int i = 0; i < parts.Count; i++)
        {
            if (current is not DirectoryInode dir) return -Errno.ENOTDIR;
            parent = dir;
            leaf = parts[i];
            if (!dir.Children.TryGetValue(parts[i], out var next))
            {
                // Only a missing last component leaves a parent in which it could be created.
                if (i < parts.Count - 1)
                {
                    parent = null;
                    leaf = "";
                }
                return -Errno.ENOENT;
            }
            current = next;
        }
        node = current;
        return 0;
    }

    public static string Normalize(string cwd, string path) => "/" + string.Join('/', Components(cwd, path));

    /// <summary>The components of <paramref name="path"/> made absolute against <paramref name="cwd"/>,
    /// with "." and ".." resolved lexically (there are no symbolic links).</summary>
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
