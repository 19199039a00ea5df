namespace Bulwark.Kernel.Fs.Sockets;

/// <summary>An AF_UNIX name: a path in the file system, or an abstract name (sun_path starting with a zero
/// byte, kept with it, as many bytes as the caller gave).</summary>
public sealed record UnixAddress(byte[] SunPath, bool Abstract)
{
    public const ushort Family = 1;
    /// <summary>offsetof(struct sockaddr_un, sun_path) and sizeof(sun_path).</summary>
    public const int PathOffset = 2, MaxPath = 108;

    public string Key => Convert.ToHexString(SunPath);
    public string Path => System.Text.Encoding.UTF8.GetString(SunPath);

    /// <summary>struct sockaddr_un as getsockname and recvfrom give it: a path with its terminating zero, an
    /// abstract name exactly; an unnamed socket is the family alone.</summary>
    public static byte[] Encode(UnixAddress? address)
    {
        int pathBytes = address == null ? 0 : address.SunPath.Length + (address.Abstract ? 0 : 1);
        var raw = new byte[PathOffset + pathBytes];
        BitConverter.TryWriteBytes(raw, Family);
        address?.SunPath.CopyTo(raw, PathOffset);
        return raw;
    }

    /// <summary>Parses what bind, connect and sendto were given: EINVAL for a short or foreign address; a
    /// family alone (length 2) is null, which bind takes as a request for an automatic abstract name.</summary>
    public static (UnixAddress? Address, long Error) Decode(byte[] raw)
    {
        if (raw.Length < PathOffset || BitConverter.ToUInt16(raw, 0) != Family) return (null, -Errno.EINVAL);
        if (raw.Length > PathOffset + MaxPath) return (null, -Errno.EINVAL);
        var path = raw.AsSpan(PathOffset);
        if (path.Length == 0) return (null, 0);
        if (path[0] == 0) return (new UnixAddress(path.ToArray(), true), 0);
        int end = path.IndexOf((byte)0);
        return (new UnixAddress((end < 0 ? path : path[..end]).ToArray(), false), 0);
    }
}

/// <summary>The file a bind to a path makes (S_IFSOCK): connect and sendto find the socket through it; opening
/// it fails with ENXIO. It outlives the socket until unlinked, as on Linux.</summary>
public sealed class SocketInode(long ino, uint permissions) : Inode(ino)
{
    public UnixSocket? Socket { get; set; }
    public override uint Mode => SIfSock | permissions;
    public override byte DirentType => 12;
}
