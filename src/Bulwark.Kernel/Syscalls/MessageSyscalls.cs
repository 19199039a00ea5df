using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Fs.Sockets;

namespace Bulwark.Kernel.Syscalls;

/// <summary>Sending and receiving on sockets: sendto, recvfrom, and sendmsg/recvmsg with scattered buffers and
/// SCM_RIGHTS, which passes open files from one process to another.</summary>
public static class MessageSyscalls
{
    private const int SolSocket = 1, ScmRights = 1, ScmCredentials = 2, MaxFdsPerMessage = 253, CmsgHeader = 16;
    private const int MsgCmsgCloexec = 0x40000000;
    /// <summary>Flags a send may carry (MSG_DONTWAIT, MSG_NOSIGNAL, and ones that change nothing here).</summary>
    private const int SendFlags = UnixSocket.MsgDontWait | UnixSocket.MsgNoSignal | 0x8000 /* MSG_MORE */ | 0x800 /* MSG_EOR */ | 0x4 /* MSG_DONTROUTE */;
    /// <summary>struct msghdr: name, namelen, iov, iovlen, control, controllen, flags.</summary>
    private const int MsghdrSize = 56;
    private const int MaxMessage = 1 << 24;

    public static void Register(SyscallTable t)
    {
        t.Add(206, "sendto", Sendto);
        t.Add(207, "recvfrom", Recvfrom);
        t.Add(211, "sendmsg", Sendmsg);
        t.Add(212, "recvmsg", Recvmsg);
    }

    private static byte[] AddressBytes(UnixAddress? from) => from == null ? [] : UnixAddress.Encode(from);

    /// <summary>Where an addressed send goes: a datagram socket's named receiver; a connected stream refuses an
    /// address (EISCONN), an unconnected one cannot use it (EOPNOTSUPP); a packet socket ignores it.</summary>
    private static async ValueTask<(UnixSocket? Target, long Error)> Destination(SyscallContext c, UnixSocket socket, ulong address, ulong length)
    {
        if (address == 0 || length == 0 || socket.Type == UnixSocket.SeqPacket) return (null, 0);
        if (socket.Type == UnixSocket.Stream) return (null, socket.State == SocketState.Connected ? -Errno.EISCONN : -Errno.EOPNOTSUPP);
        var (name, bad) = await SocketSyscalls.AddressArg(c, address, length);
        if (bad < 0) return (null, bad);
        if (name == null) return (null, -Errno.EINVAL);
        return SocketSyscalls.Find(c, name, socket.Type);
    }

    private static async ValueTask<long> Sendto(SyscallContext c)
    {
        var (socket, error) = SocketSyscalls.SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        int flags = c.IntArg(3);
        if ((flags & ~SendFlags) != 0) return -Errno.EOPNOTSUPP;
        int count = (int)Math.Min(c.Arg(2), MaxMessage);
        var data = new byte[count];
        if (!await c.User.CopyFromUser(c.Arg(1), data, 0, count)) return -Errno.EFAULT;
        var (target, bad) = await Destination(c, socket, c.Arg(4), c.Arg(5));
        if (bad < 0) return bad;
        return await socket.Send(c.Kernel, c.Thread, data, count, null, target, flags);
    }

    private static async ValueTask<long> Recvfrom(SyscallContext c)
    {
        var (socket, error) = SocketSyscalls.SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        int count = (int)Math.Min(c.Arg(2), MaxMessage);
        var buffer = new byte[count];
        var got = await socket.Receive(c.Kernel, c.Thread, buffer, count, c.IntArg(3));
        if (got.Rights != null) foreach (var file in got.Rights) file.Close(c.Kernel);
        if (got.Count < 0) return got.Count;
        if (!await c.User.CopyToUser(c.Arg(1), buffer, 0, (int)Math.Min(got.Count, count))) return -Errno.EFAULT;
        if (c.Arg(4) != 0 && c.Arg(5) != 0)
        {
            long written = await SocketSyscalls.WriteAddress(c, AddressBytes(got.From), c.Arg(4), c.Arg(5));
            if (written < 0) return written;
        }
        return got.Count;
    }

    private readonly record struct Msghdr(ulong Name, int NameLength, ulong Iov, ulong IovLength, ulong Control, ulong ControlLength);

    private static async ValueTask<Msghdr?> ReadMsghdr(SyscallContext c, ulong address)
    {
        var raw = new byte[MsghdrSize];
        if (!await c.User.CopyFromUser(address, raw, 0, MsghdrSize)) return null;
        return new Msghdr(BitConverter.ToUInt64(raw, 0), BitConverter.ToInt32(raw, 8), BitConverter.ToUInt64(raw, 16),
            BitConverter.ToUInt64(raw, 24), BitConverter.ToUInt64(raw, 32), BitConverter.ToUInt64(raw, 40));
    }

    private static async ValueTask<(ulong Base, int Length)[]?> ReadIovecs(SyscallContext c, Msghdr msg)
    {
        var raw = new byte[(int)msg.IovLength * 16];
        if (!await c.User.CopyFromUser(msg.Iov, raw, 0, raw.Length)) return null;
        var iov = new (ulong, int)[msg.IovLength];
        for (int i = 0; i < iov.Length; i++)
            iov[i] = (BitConverter.ToUInt64(raw, i * 16), (int)Math.Min(BitConverter.ToUInt64(raw, i * 16 + 8), MaxMessage));
        return iov;
    }

    /// <summary>Parses the control messages of a send: the files of SCM_RIGHTS (each given a reference the
    /// message holds), SCM_CREDENTIALS checked and dropped; anything else is EINVAL.</summary>
    private static async ValueTask<(OpenFile[]? Rights, long Error)> ReadRights(SyscallContext c, Msghdr msg)
    {
        if (msg.ControlLength == 0) return (null, 0);
        if (msg.ControlLength > 65536) return (null, -Errno.ENOBUFS);
        var raw = new byte[msg.ControlLength];
        if (!await c.User.CopyFromUser(msg.Control, raw, 0, raw.Length)) return (null, -Errno.EFAULT);
        var files = new List<OpenFile>();
        for (int at = 0; at + CmsgHeader <= raw.Length;)
        {
            long length = (long)BitConverter.ToUInt64(raw, at);
            int level = BitConverter.ToInt32(raw, at + 8), type = BitConverter.ToInt32(raw, at + 12);
            if (length < CmsgHeader || length > raw.Length - at) return (null, -Errno.EINVAL);
            if (level != SolSocket || type is not (ScmRights or ScmCredentials)) return (null, -Errno.EINVAL);
            if (type == ScmRights)
            {
                int count = (int)(length - CmsgHeader) / 4;
                if (count == 0 || files.Count + count > MaxFdsPerMessage) return (null, -Errno.EINVAL);
                for (int i = 0; i < count; i++)
                {
                    if (FileSyscalls.File(c, BitConverter.ToInt32(raw, at + CmsgHeader + 4 * i)) is not { } file) return (null, -Errno.EBADF);
                    files.Add(file);
                }
            }
            at += (int)((length + 7) & ~7L);
        }
        if (files.Count == 0) return (null, 0);
        foreach (var file in files) file.AddReference();
        return ([.. files], 0);
    }

    private static async ValueTask<long> Sendmsg(SyscallContext c)
    {
        var (socket, error) = SocketSyscalls.SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        int flags = c.IntArg(2);
        if ((flags & ~SendFlags) != 0) return -Errno.EOPNOTSUPP;
        if (await ReadMsghdr(c, c.Arg(1)) is not { } msg) return -Errno.EFAULT;
        if (msg.IovLength > 1024) return -Errno.EMSGSIZE;
        if (await ReadIovecs(c, msg) is not { } iov) return -Errno.EFAULT;
        long total = iov.Sum(v => (long)v.Length);
        if (total > MaxMessage) return -Errno.EMSGSIZE;
        var data = new byte[total];
        int offset = 0;
        foreach (var (address, length) in iov)
        {
            if (length > 0 && !await c.User.CopyFromUser(address, data, offset, length)) return -Errno.EFAULT;
            offset += length;
        }
        var (target, bad) = await Destination(c, socket, msg.Name, (ulong)Math.Max(0, msg.NameLength));
        if (bad < 0) return bad;
        var (rights, invalid) = await ReadRights(c, msg);
        if (invalid < 0) return invalid;
        long sent = await socket.Send(c.Kernel, c.Thread, data, data.Length, rights, target, flags);
        // Files of a message that was not queued go back.
        if (sent <= 0 && rights != null) foreach (var file in rights) file.Close(c.Kernel);
        return sent;
    }

    private static async ValueTask<long> Recvmsg(SyscallContext c)
    {
        var (socket, error) = SocketSyscalls.SocketOf(c, c.IntArg(0));
        if (socket == null) return error;
        int flags = c.IntArg(2);
        if (await ReadMsghdr(c, c.Arg(1)) is not { } msg) return -Errno.EFAULT;
        if (msg.IovLength > 1024) return -Errno.EMSGSIZE;
        if (await ReadIovecs(c, msg) is not { } iov) return -Errno.EFAULT;
        int total = (int)Math.Min(iov.Sum(v => (long)v.Length), MaxMessage);
        var buffer = new byte[total];
        var got = await socket.Receive(c.Kernel, c.Thread, buffer, total, flags & ~MsgCmsgCloexec);
        if (got.Count < 0) return got.Count;
        int left = (int)Math.Min(got.Count, total), offset = 0;
        foreach (var (address, length) in iov)
        {
            int n = Math.Min(length, left - offset);
            if (n <= 0) break;
            if (!await c.User.CopyToUser(address, buffer, offset, n)) return -Errno.EFAULT;
            offset += n;
        }
        int outFlags = got.Flags;
        var (control, truncated) = InstallRights(c, got.Rights, msg.ControlLength, (flags & MsgCmsgCloexec) != 0);
        if (truncated) outFlags |= UnixSocket.MsgCtrunc;
        if (control.Length > 0 && !await c.User.CopyToUser(msg.Control, control, 0, control.Length)) return -Errno.EFAULT;
        var name = AddressBytes(got.From);
        if (msg.Name != 0 && name.Length > 0 && msg.NameLength > 0
            && !await c.User.CopyToUser(msg.Name, name, 0, Math.Min(name.Length, msg.NameLength))) return -Errno.EFAULT;
        // The kernel writes back how long the name and the control data are, and the flags.
        if (!await c.User.PutUser(c.Arg(1) + 8, msg.Name != 0 ? name.Length : 0)
            || !await c.User.PutUser(c.Arg(1) + 40, (ulong)control.Length)
            || !await c.User.PutUser(c.Arg(1) + 48, outFlags)) return -Errno.EFAULT;
        return got.Count;
    }

    /// <summary>scm_detach_fds: as many received files as the control buffer has room for get descriptors (one
    /// SCM_RIGHTS message); the rest are closed and MSG_CTRUNC is set.</summary>
    private static (byte[] Control, bool Truncated) InstallRights(SyscallContext c, OpenFile[]? rights, ulong room, bool cloexec)
    {
        if (rights == null) return ([], false);
        int fit = room > CmsgHeader ? (int)Math.Min((room - CmsgHeader) / 4, (ulong)rights.Length) : 0;
        var fds = new List<int>();
        foreach (var file in rights)
        {
            int fd = fds.Count < fit ? c.Process.Files.Add(file, cloexec) : -1;
            if (fd >= 0) fds.Add(fd);
            else file.Close(c.Kernel);
        }
        if (fds.Count == 0) return ([], true);
        int length = CmsgHeader + 4 * fds.Count;
        var control = new byte[Math.Min((ulong)((length + 7) & ~7), room)];
        BitConverter.TryWriteBytes(control, (ulong)length);
        BitConverter.TryWriteBytes(control.AsSpan(8), SolSocket);
        BitConverter.TryWriteBytes(control.AsSpan(12), ScmRights);
        for (int i = 0; i < fds.Count; i++) BitConverter.TryWriteBytes(control.AsSpan(CmsgHeader + 4 * i), fds[i]);
        return (control, fds.Count < rights.Length);
    }
}
