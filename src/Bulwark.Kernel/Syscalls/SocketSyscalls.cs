using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Fs.Sockets;

namespace Bulwark.Kernel.Syscalls;

/// <summary>AF_UNIX sockets within the guest: socket, socketpair, bind, listen, accept, connect, the names of both
/// ends, shutdown and socket options. Every other family gets EAFNOSUPPORT: there is no network.</summary>
public static class SocketSyscalls
{
    private const int AfUnix = 1, SockNonBlock = OpenFile.ONonBlock, SockCloexec = OpenFile.OCloexec;
    private const int SolSocket = 1, SoType = 3, SoError = 4, SoSndbuf = 7, SoRcvbuf = 8, SoPasscred = 16, SoPeercred = 17,
        SoAcceptconn = 30, SoProtocol = 38, SoDomain = 39, SoReuseaddr = 2, SoKeepalive = 9;

    public static void Register(SyscallTable t)
    {
        t.Add(198, "socket", Socket);
        t.Add(199, "socketpair", Socketpair);
        t.Add(200, "bind", Bind);
        t.Add(201, "listen", Listen);
        t.Add(202, "accept", c => Accept(c, 0));
        t.Add(242, "accept4", c => Accept(c, c.IntArg(3)));
        t.Add(203, "connect", Connect);
        t.Add(204, "getsockname", c => Name(c, peer: false));
        t.Add(205, "getpeername", c => Name(c, peer: true));
        t.Add(208, "setsockopt", Setsockopt);
        t.Add(209, "getsockopt", Getsockopt);
        t.Add(210, "shutdown", Shutdown);
    }

    /// <summary>Checks domain, type and protocol as Linux's __sock_create and unix_create do; the socket type or an errno.</summary>
    private static long TypeOf(int domain, int typeAndFlags, int protocol)
    {
        if ((typeAndFlags & ~(0xF | SockNonBlock | SockCloexec)) != 0) return -Errno.EINVAL;
        int type = typeAndFlags & 0xF;
        if (domain != AfUnix) return -Errno.EAFNOSUPPORT; // no network: AF_INET, AF_INET6 and the rest
        if (protocol != 0 && protocol != AfUnix) return -Errno.EPROTONOSUPPORT;
        return type is UnixSocket.Stream or UnixSocket.Dgram or UnixSocket.SeqPacket ? type : -Errno.ESOCKTNOSUPPORT;
    }

    private static UnixSocket New(SyscallContext c, int type, int flags) =>
        new(type, c.Kernel.Files.NextInodeNumber()) { StatusFlags = OpenFile.ORdWr | (flags & SockNonBlock) };

    private static ValueTask<long> Socket(SyscallContext c)
    {
        long type = TypeOf(c.IntArg(0), c.IntArg(1), c.IntArg(2));
        if (type < 0) return ValueTask.FromResult(type);
        var socket = New(c, (int)type, c.IntArg(1));
        int fd = c.Process.Files.Add(socket, (c.IntArg(1) & SockCloexec) != 0);
        return ValueTask.FromResult((long)fd);
    }

    private static async ValueTask<long> Socketpair(SyscallContext c)
    {
        long type = TypeOf(c.IntArg(0), c.IntArg(1), c.IntArg(2));
        if (type < 0) return type;
        var a = New(c, (int)type, c.IntArg(1));
        var b = New(c, (int)type, c.IntArg(1));
        UnixSocket.Connect(a, b, c.Process.Pid);
        bool cloexec = (c.IntArg(1) & SockCloexec) != 0;
        var files = c.Process.Files;
        int fa = files.Add(a, cloexec);
        if (fa < 0) return fa;
        int fb = files.Add(b, cloexec);
        if (fb < 0)
        {
            files.Remove(fa);
            return fb;
        }
        var raw = new byte[8];
        BitConverter.TryWriteBytes(raw, fa);
        BitConverter.TryWriteBytes(raw.AsSpan(4), fb);
        if (await c.User.CopyToUser(c.Arg(3), raw, 0, 8)) return 0;
        files.Remove(fa);
        files.Remove(fb);
        a.Close(c.Kernel);
        b.Close(c.Kernel);
        return -Errno.EFAULT;
    }

    internal static (UnixSocket? Socket, long Error) SocketOf(SyscallContext c, int fd) => FileSyscalls.File(c, fd) switch
    {
        null => (null, -Errno.EBADF),
        UnixSocket s => (s, 0),
        _ => (null, -Errno.ENOTSOCK),
    };

    /// <summary>Reads a sockaddr_un of <paramref name="length"/> bytes.</summary>
    internal static async ValueTask<(UnixAddress? Address, long Error)> AddressArg(SyscallContext c, ulong address, ulong length)
    {
        if (length > 128) return (null, -Errno.EINVAL);
        var raw = new byte[length];
        if (!await c.User.CopyFromUser(address, raw, 0, raw.Length)) return (null, -Errno.EFAULT);
        if (raw.Length >= 2 && BitConverter.ToUInt16(raw, 0) != UnixAddress.Family) return (null, -Errno.EINVAL);
        return UnixAddress.Decode(raw);
    }

    private static async ValueTask<long> Bind(SyscallContext c)
    {
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        var (address, bad) = await AddressArg(c, c.Arg(1), c.Arg(2));
        if (bad < 0) return bad;
        if (socket.Address != null) return -Errno.EINVAL;
        address ??= c.Kernel.AutobindName();
        if (address.Abstract)
        {
            if (!c.Kernel.AbstractSockets.TryAdd(address.Key, socket)) return -Errno.EADDRINUSE;
        }
        else
        {
            var lookup = FileSyscalls.Resolve(c, FileSyscalls.AtFdCwd, address.Path, followLast: false);
            if (lookup.Error == 0) return -Errno.EADDRINUSE;
            if (lookup.Error != -Errno.ENOENT || lookup.Parent == null || lookup.Leaf.Length == 0) return lookup.Error;
            if (lookup.Parent.ReadOnly) return -Errno.EROFS;
            lookup.Parent.Link(lookup.Leaf, new SocketInode(c.Kernel.Files.NextInodeNumber(), 0x1FF & ~c.Process.Umask) { Socket = socket });
        }
        socket.Address = address;
        return 0;
    }

    private static ValueTask<long> Listen(SyscallContext c)
    {
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return ValueTask.FromResult(error);
        if (!socket.ConnectionOriented) return ValueTask.FromResult((long)-Errno.EOPNOTSUPP);
        if (socket.State == SocketState.Connected || socket.Address == null) return ValueTask.FromResult((long)-Errno.EINVAL);
        socket.Listen(c.IntArg(1), c.Process.Pid);
        c.Kernel.ReadinessChanged();
        return ValueTask.FromResult(0L);
    }

    /// <summary>The socket of <paramref name="type"/> bound at <paramref name="address"/>: ENOENT/ENOTDIR for a path
    /// that is not there, ECONNREFUSED for a file that is no live socket, EPROTOTYPE for a socket of another type;
    /// an abstract name is looked up with its type, so one of another type is ECONNREFUSED (as in Linux).</summary>
    internal static (UnixSocket? Socket, long Error) Find(SyscallContext c, UnixAddress address, int type)
    {
        if (address.Abstract)
            return c.Kernel.AbstractSockets.TryGetValue(address.Key, out var bound) && bound.Type == type ? (bound, 0) : (null, -Errno.ECONNREFUSED);
        var lookup = FileSyscalls.Resolve(c, FileSyscalls.AtFdCwd, address.Path);
        if (lookup.Error < 0) return (null, lookup.Error);
        if (lookup.Node is not SocketInode { Socket: { Closed: false } socket }) return (null, -Errno.ECONNREFUSED);
        return socket.Type == type ? (socket, 0) : (null, -Errno.EPROTOTYPE);
    }

    private static async ValueTask<long> Connect(SyscallContext c)
    {
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        var (address, bad) = await AddressArg(c, c.Arg(1), c.Arg(2));
        if (bad < 0) return bad;
        if (address == null) return -Errno.EINVAL;
        var (target, missing) = Find(c, address, socket.Type);
        if (target == null) return missing;
        if (!socket.ConnectionOriented)
        {
            socket.SetDefaultPeer(target);
            c.Kernel.ReadinessChanged();
            return 0;
        }
        if (socket.State == SocketState.Connected) return -Errno.EISCONN;
        if (socket.State == SocketState.Listening) return -Errno.EINVAL;
        while (true)
        {
            if (target.State != SocketState.Listening || target.Closed) return -Errno.ECONNREFUSED;
            if (!target.AcceptQueueFull) break;
            if ((socket.StatusFlags & OpenFile.ONonBlock) != 0) return -Errno.EAGAIN;
            if (await c.Kernel.Block(c.Thread, target.Waiters) == Processes.WakeReason.Interrupted) return -Errno.EINTR;
        }
        target.Enqueue(c.Kernel, socket, c.Process.Pid, target.ListenerPid);
        return 0;
    }

    private static async ValueTask<long> Accept(SyscallContext c, int flags)
    {
        if ((flags & ~(SockNonBlock | SockCloexec)) != 0) return -Errno.EINVAL;
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        if (!socket.ConnectionOriented) return -Errno.EOPNOTSUPP;
        if (socket.State != SocketState.Listening) return -Errno.EINVAL;
        UnixSocket? server;
        while (!socket.PendingConnections.TryDequeue(out server))
        {
            if ((socket.StatusFlags & OpenFile.ONonBlock) != 0) return -Errno.EAGAIN;
            if (await c.Kernel.Block(c.Thread, socket.Waiters) == Processes.WakeReason.Interrupted) return -Errno.EINTR;
        }
        c.Kernel.WakeAll(socket.Waiters); // a connect waiting for room in the queue
        c.Kernel.ReadinessChanged();
        server.StatusFlags = OpenFile.ORdWr | (flags & SockNonBlock);
        int fd = c.Process.Files.Add(server, (flags & SockCloexec) != 0);
        if (fd < 0)
        {
            server.Close(c.Kernel);
            return fd;
        }
        if (c.Arg(1) != 0)
        {
            long written = await WriteAddress(c, UnixAddress.Encode(server.Peer?.Address), c.Arg(1), c.Arg(2));
            if (written < 0) return written;
        }
        return fd;
    }

    /// <summary>Copies a sockaddr out as Linux's move_addr_to_user: truncated to the caller's length, which
    /// then says how long the whole address is.</summary>
    internal static async ValueTask<long> WriteAddress(SyscallContext c, byte[] raw, ulong address, ulong lengthAddress)
    {
        if (await c.User.GetUser<int>(lengthAddress) is not { } room) return -Errno.EFAULT;
        if (room < 0) return -Errno.EINVAL;
        int n = Math.Min(room, raw.Length);
        if (n > 0 && !await c.User.CopyToUser(address, raw, 0, n)) return -Errno.EFAULT;
        return await c.User.PutUser(lengthAddress, raw.Length) ? 0 : -Errno.EFAULT;
    }

    private static async ValueTask<long> Name(SyscallContext c, bool peer)
    {
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        UnixAddress? address = socket.Address;
        if (peer)
        {
            if (socket.State != SocketState.Connected || socket.Peer == null) return -Errno.ENOTCONN;
            address = socket.Peer.Address;
        }
        return await WriteAddress(c, UnixAddress.Encode(address), c.Arg(1), c.Arg(2));
    }

    private static ValueTask<long> Shutdown(SyscallContext c)
    {
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return ValueTask.FromResult(error);
        int how = c.IntArg(1);
        if (how is < 0 or > 2) return ValueTask.FromResult((long)-Errno.EINVAL);
        if (socket.State != SocketState.Connected) return ValueTask.FromResult((long)-Errno.ENOTCONN);
        socket.ShutDown(c.Kernel, how + 1);
        return ValueTask.FromResult(0L);
    }

    private static async ValueTask<long> Setsockopt(SyscallContext c)
    {
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        if (c.IntArg(1) != SolSocket) return -Errno.EOPNOTSUPP; // AF_UNIX has no options of its own
        if (c.IntArg(4) < 4) return -Errno.EINVAL;
        if (await c.User.GetUser<int>(c.Arg(3)) is not { } value) return -Errno.EFAULT;
        switch (c.IntArg(2))
        {
            // Linux doubles the size asked for (for its bookkeeping) and keeps it within its bounds.
            case SoSndbuf: socket.SendBuffer = Math.Clamp(value, 2304, DefaultMax) * 2; break;
            case SoRcvbuf: socket.ReceiveBuffer = Math.Clamp(value, 1152, DefaultMax) * 2; break;
            case SoPasscred: socket.PassCredentials = value != 0; break;
            case SoReuseaddr or SoKeepalive: break;
            default: return -Errno.ENOPROTOOPT;
        }
        return 0;
    }

    /// <summary>net.core.wmem_max and rmem_max.</summary>
    private const int DefaultMax = UnixSocket.DefaultBuffer;

    private static async ValueTask<long> Getsockopt(SyscallContext c)
    {
        var (socket, error) = SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        if (c.IntArg(1) != SolSocket) return -Errno.EOPNOTSUPP; // AF_UNIX has no options of its own
        byte[] value;
        if (c.IntArg(2) == SoPeercred)
        {
            value = new byte[12];
            if (socket.State == SocketState.Connected)
            {
                BitConverter.TryWriteBytes(value, socket.PeerPid);
                BitConverter.TryWriteBytes(value.AsSpan(4), InfoSyscalls.Uid);
                BitConverter.TryWriteBytes(value.AsSpan(8), InfoSyscalls.Gid);
            }
            else
            {
                BitConverter.TryWriteBytes(value, 0);
                BitConverter.TryWriteBytes(value.AsSpan(4), -1);
                BitConverter.TryWriteBytes(value.AsSpan(8), -1);
            }
        }
        else
        {
            int? number = c.IntArg(2) switch
            {
                SoType => socket.Type,
                SoError => (int)-socket.TakeError(0),
                SoSndbuf => socket.SendBuffer,
                SoRcvbuf => socket.ReceiveBuffer,
                SoPasscred => socket.PassCredentials ? 1 : 0,
                SoAcceptconn => socket.State == SocketState.Listening ? 1 : 0,
                SoDomain => AfUnix,
                SoProtocol => 0,
                SoReuseaddr or SoKeepalive => 0,
                _ => null,
            };
            if (number is not { } n) return -Errno.ENOPROTOOPT;
            value = BitConverter.GetBytes(n);
        }
        if (await c.User.GetUser<int>(c.Arg(4)) is not { } room) return -Errno.EFAULT;
        if (room < 0) return -Errno.EINVAL;
        int length = Math.Min(room, value.Length);
        if (!await c.User.CopyToUser(c.Arg(3), value, 0, length)) return -Errno.EFAULT;
        return await c.User.PutUser(c.Arg(4), length) ? 0 : -Errno.EFAULT;
    }
}
