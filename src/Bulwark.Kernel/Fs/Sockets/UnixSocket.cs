using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Fs.Sockets;

public enum SocketState { Unconnected, Listening, Connected }

/// <summary>An AF_UNIX socket with Linux's rules (net/unix/af_unix.c): a stream, datagram or sequenced-packet
/// socket. Sent bytes queue at the receiver and stay charged to the sender's send buffer until read, which is
/// what makes a sender wait; shutdown and close set the shutdown bits of both ends as Linux does, and poll
/// reports exactly those.</summary>
public sealed class UnixSocket : OpenFile
{
    public const int Stream = 1, Dgram = 2, SeqPacket = 5;
    public const int MsgPeek = 2, MsgCtrunc = 8, MsgTrunc = 0x20, MsgDontWait = 0x40, MsgWaitAll = 0x100, MsgNoSignal = 0x4000;
    /// <summary>sk_shutdown bits.</summary>
    public const int ReceiveShutdown = 1, SendShutdown = 2;
    /// <summary>net.core.wmem_default: a socket's send buffer.</summary>
    public const int DefaultBuffer = 212992;
    /// <summary>net.unix.max_dgram_qlen: a receiver holding more datagrams than this makes senders wait.</summary>
    public const int MaxDatagramQueue = 10;

    private readonly LinkedList<SocketMessage> _incoming = new();

    public UnixSocket(int type, long ino)
    {
        Type = type;
        Ino = ino;
        StatusFlags = ORdWr;
    }

    public int Type { get; }
    /// <summary>Datagram and sequenced-packet sockets keep message boundaries.</summary>
    public bool KeepsBoundaries => Type != Stream;
    public bool ConnectionOriented => Type != Dgram;
    public SocketState State { get; private set; }
    public UnixAddress? Address { get; set; }
    /// <summary>The other end (a connected socket), or a datagram socket's default destination.</summary>
    public UnixSocket? Peer { get; private set; }
    /// <summary>SO_PEERCRED's pid: who connected (or made the pair).</summary>
    public int PeerPid { get; private set; }
    public Queue<UnixSocket> PendingConnections { get; } = new();
    public int Backlog { get; private set; }
    /// <summary>Which directions shutdown() closed (ReceiveShutdown, SendShutdown bits), here or by the peer.</summary>
    public int ClosedDirections { get; private set; }
    public bool Closed { get; private set; }
    /// <summary>Bytes this socket sent that their receiver has not read yet.</summary>
    public int InFlight { get; private set; }
    public int SendBuffer { get; set; } = DefaultBuffer;
    public int ReceiveBuffer { get; set; } = DefaultBuffer;
    public bool PassCredentials { get; set; }
    /// <summary>SO_ERROR: reported once, by the next receive or getsockopt.</summary>
    public int PendingError { get; set; }
    public WaitQueue Waiters { get; } = new();
    public long Ino { get; }

    public override Inode? Inode => null;
    public override uint StatMode => Fs.Inode.SIfSock | 0x1FF;
    public override long StatSize => 0;
    public override long? StatIno => Ino;

    /// <summary>socketpair: two sockets connected to each other.</summary>
    public static void Connect(UnixSocket a, UnixSocket b, int pid)
    {
        a.Peer = b;
        b.Peer = a;
        a.State = b.State = SocketState.Connected;
        a.PeerPid = b.PeerPid = pid;
    }

    /// <summary>Who listened: the pid a client's SO_PEERCRED shows.</summary>
    public int ListenerPid { get; private set; }

    public void Listen(int backlog, int pid)
    {
        State = SocketState.Listening;
        ListenerPid = pid;
        Backlog = Math.Clamp(backlog, 0, 4096);
    }

    /// <summary>Linux's sk_acceptq_is_full: a listener takes one connection more than its backlog.</summary>
    public bool AcceptQueueFull => PendingConnections.Count > Backlog;

    /// <summary>A connect to this listener: the server's end is made now and waits in the accept queue.</summary>
    public void Enqueue(KernelCore kernel, UnixSocket client, int clientPid, int serverPid)
    {
        var server = new UnixSocket(Type, kernel.Files.NextInodeNumber()) { Address = Address };
        Connect(client, server, serverPid);
        client.PeerPid = serverPid;
        server.PeerPid = clientPid;
        PendingConnections.Enqueue(server);
        Changed(kernel);
    }

    /// <summary>A datagram socket's connect: only the default destination changes.</summary>
    public void SetDefaultPeer(UnixSocket? peer)
    {
        Peer = peer;
        State = peer == null ? SocketState.Unconnected : SocketState.Connected;
    }

    public void ShutDown(KernelCore kernel, int bits)
    {
        ClosedDirections |= bits;
        if (ConnectionOriented && Peer is { } peer)
            peer.ClosedDirections |= ((bits & ReceiveShutdown) != 0 ? SendShutdown : 0) | ((bits & SendShutdown) != 0 ? ReceiveShutdown : 0);
        Changed(kernel);
    }

    /// <summary>unix_poll and unix_dgram_poll.</summary>
    public override int Poll(KernelCore kernel)
    {
        if (State == SocketState.Listening) return PendingConnections.Count > 0 ? PollEvents.Readable : 0;
        int mask = 0;
        if (PendingError != 0) mask |= PollEvents.Err;
        if (ClosedDirections == (ReceiveShutdown | SendShutdown)) mask |= PollEvents.Hup;
        if ((ClosedDirections & ReceiveShutdown) != 0) mask |= PollEvents.RdHup | PollEvents.Readable;
        if (_incoming.Count > 0) mask |= PollEvents.Readable;
        if (ConnectionOriented && State == SocketState.Unconnected) mask |= PollEvents.Hup;
        bool writable = InFlight * 4 <= SendBuffer
            && (Type != Dgram || Peer is not { } peer || peer.Peer == this || !peer.ReceiveQueueFull);
        if (writable) mask |= PollEvents.Writable | PollEvents.WrBand;
        return mask;
    }

    private bool ReceiveQueueFull => _incoming.Count > MaxDatagramQueue;

    private void Changed(KernelCore kernel)
    {
        kernel.WakeAll(Waiters);
        if (Peer != null) kernel.WakeAll(Peer.Waiters);
        kernel.ReadinessChanged();
    }

    public override async ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        var got = await Receive(kernel, thread, buffer, count, 0);
        // read() cannot take files: those passed with the bytes are closed, as Linux does.
        if (got.Rights != null) foreach (var file in got.Rights) file.Close(kernel);
        return got.Count;
    }

    public override ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count) =>
        Send(kernel, thread, buffer, count, null, null, 0);

    private bool NonBlocking(int flags) => (flags & MsgDontWait) != 0 || (StatusFlags & ONonBlock) != 0;

    private long Pipe(KernelCore kernel, GuestThread thread, int flags)
    {
        if ((flags & MsgNoSignal) == 0) kernel.SendSignal(thread, Signal.SIGPIPE);
        return -Errno.EPIPE;
    }

    /// <summary>Sends <paramref name="count"/> bytes (with files, to <paramref name="target"/> for an unconnected
    /// datagram socket). A stream send waits until every byte is queued; a datagram or packet goes whole.</summary>
    public async ValueTask<long> Send(KernelCore kernel, GuestThread thread, byte[] data, int count, OpenFile[]? rights,
        UnixSocket? target, int flags)
    {
        if (KeepsBoundaries && count > SendBuffer - 32) return -Errno.EMSGSIZE;
        int sent = 0;
        while (true)
        {
            var receiver = target ?? Peer;
            if (receiver == null || State == SocketState.Listening) return -Errno.ENOTCONN;
            if ((ClosedDirections & SendShutdown) != 0) return sent > 0 ? sent : Pipe(kernel, thread, flags);
            if (ConnectionOriented && (receiver.Closed || (receiver.ClosedDirections & ReceiveShutdown) != 0))
                return sent > 0 ? sent : Pipe(kernel, thread, flags);
            if (!ConnectionOriented)
            {
                if (receiver.Closed)
                {
                    if (receiver == Peer) SetDefaultPeer(null);
                    return -Errno.ECONNREFUSED;
                }
                if (receiver.Peer != null && receiver.Peer != this) return -Errno.EPERM;
                if ((receiver.ClosedDirections & ReceiveShutdown) != 0) return -Errno.EPIPE;
            }
            bool full = KeepsBoundaries
                ? InFlight + count > SendBuffer || (!ConnectionOriented && receiver.Peer != this && receiver.ReceiveQueueFull)
                : InFlight >= SendBuffer;
            if (full)
            {
                if (NonBlocking(flags)) return sent > 0 ? sent : -Errno.EAGAIN;
                if (await kernel.Block(thread, Waiters) == WakeReason.Interrupted) return sent > 0 ? sent : -Errno.EINTR;
                continue;
            }
            int n = KeepsBoundaries ? count : Math.Min(count - sent, SendBuffer - InFlight);
            if (n == 0 && !KeepsBoundaries) return sent; // a zero-length stream send queues nothing
            var bytes = new byte[n];
            Array.Copy(data, sent, bytes, 0, n);
            receiver._incoming.AddLast(new SocketMessage(bytes, rights, this));
            rights = null;
            InFlight += n;
            sent += n;
            kernel.WakeAll(receiver.Waiters);
            kernel.ReadinessChanged();
            if (sent == count) return sent;
        }
    }

    /// <summary>-SO_ERROR, cleared, or <paramref name="otherwise"/> if there is none.</summary>
    public long TakeError(long otherwise)
    {
        if (PendingError == 0) return otherwise;
        long error = -PendingError;
        PendingError = 0;
        return error;
    }

    public readonly record struct Received(long Count, int Flags, OpenFile[]? Rights, UnixAddress? From, bool HasFrom);

    /// <summary>Receives into <paramref name="buffer"/>: a stream reads across messages (stopping after one that
    /// carried files), a datagram or packet is read whole or truncated (MSG_TRUNC in the flags).</summary>
    public async ValueTask<Received> Receive(KernelCore kernel, GuestThread thread, byte[] buffer, int count, int flags)
    {
        bool peek = (flags & MsgPeek) != 0;
        int copied = 0, outFlags = 0;
        OpenFile[]? rights = null;
        UnixSocket? from = null;
        while (true)
        {
            if (State == SocketState.Listening) return new Received(-Errno.EINVAL, 0, null, null, false);
            if (Type == SeqPacket && State != SocketState.Connected) return new Received(-Errno.ENOTCONN, 0, null, null, false);
            if (_incoming.First is { } node)
            {
                if (KeepsBoundaries)
                {
                    var message = node.Value;
                    int n = Math.Min(message.Data.Length, count);
                    Array.Copy(message.Data, 0, buffer, 0, n);
                    if (message.Data.Length > count) outFlags |= MsgTrunc;
                    long result = (flags & MsgTrunc) != 0 ? message.Data.Length : n;
                    if (!peek) Consume(kernel, node, message.Data.Length);
                    return new Received(result, outFlags, peek ? null : message.Rights, message.Sender.Address, true);
                }
                from ??= node.Value.Sender;
                while (node != null && copied < count)
                {
                    var message = node.Value;
                    var next = node.Next;
                    int n = Math.Min(message.Left, count - copied);
                    Array.Copy(message.Data, message.Offset, buffer, copied, n);
                    copied += n;
                    if (peek)
                    {
                        node = next;
                        continue;
                    }
                    message.Offset += n;
                    if (message.Rights != null)
                    {
                        rights = message.Rights;
                        message.Rights = null;
                    }
                    if (message.Left == 0) Consume(kernel, node, n);
                    else Release(kernel, message.Sender, n);
                    if (rights != null) break;
                    node = next;
                }
                if (rights != null || copied == count || peek || (flags & MsgWaitAll) == 0) break;
                continue;
            }
            if (copied > 0 && (flags & MsgWaitAll) == 0) break;
            if (PendingError != 0) return new Received(copied > 0 ? copied : TakeError(0), 0, null, null, false);
            if ((ClosedDirections & ReceiveShutdown) != 0) break;
            if (NonBlocking(flags)) return new Received(copied > 0 ? copied : -Errno.EAGAIN, 0, null, null, false);
            if (await kernel.Block(thread, Waiters) == WakeReason.Interrupted)
                return new Received(copied > 0 ? copied : -Errno.EINTR, 0, null, null, false);
        }
        return new Received(copied, outFlags, rights, from?.Address, from != null);
    }

    private void Consume(KernelCore kernel, LinkedListNode<SocketMessage> node, int charged)
    {
        _incoming.Remove(node);
        Release(kernel, node.Value.Sender, charged);
    }

    private void Release(KernelCore kernel, UnixSocket sender, int bytes)
    {
        sender.InFlight -= bytes;
        kernel.WakeAll(sender.Waiters);
        kernel.WakeAll(Waiters);
        kernel.ReadinessChanged();
    }

    /// <summary>unix_release_sock: the other end of a connection sees both directions shut down (and
    /// ECONNRESET if this end left bytes unread); queued messages and the files they carry are dropped;
    /// connections nobody accepted are closed.</summary>
    protected override void OnLastClose(KernelCore kernel)
    {
        Closed = true;
        bool unread = _incoming.Count > 0;
        while (_incoming.First is { } node)
        {
            if (node.Value.Rights is { } files) foreach (var file in files) file.Close(kernel);
            Consume(kernel, node, node.Value.Left);
        }
        while (PendingConnections.TryDequeue(out var embryo)) embryo.Close(kernel);
        if (ConnectionOriented && Peer is { } peer)
        {
            peer.ClosedDirections = ReceiveShutdown | SendShutdown;
            if (unread || State == SocketState.Listening) peer.PendingError = Errno.ECONNRESET;
        }
        if (Address is { Abstract: true } address) kernel.AbstractSockets.Remove(address.Key);
        ClosedDirections = ReceiveShutdown | SendShutdown;
        Changed(kernel);
    }
}
