using Bulwark.S3k.Kernel;
using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Capabilities;

/// <summary>Per channel: the server waiting in recv, the client waiting for a reply, and the capability
/// slot where the waiting one receives a capability (-1: none).</summary>
public sealed class Channels
{
    private readonly Process?[] _server, _client;
    private readonly int[] _capBuf;

    public Channels(int count)
    {
        _server = new Process?[count];
        _client = new Process?[count];
        _capBuf = Enumerable.Repeat(-1, count).ToArray();
    }

    public ref Process? Server(ushort chan) => ref _server[chan];
    public ref Process? Client(ushort chan) => ref _client[chan];
    public ref int CapBuf(ushort chan) => ref _capBuf[chan];

    /// <summary>cap_sock_clear: a server socket's deletion forgets the channel's waiters; a client socket's,
    /// its holder as the waiting client.</summary>
    public void Clear(Cap sock, Process holder)
    {
        ushort chan = sock.Chan;
        if (sock.SocketTag == 0)
        {
            _server[chan] = null;
            _client[chan] = null;
            _capBuf[chan] = -1;
        }
        else if (_client[chan] == holder) _client[chan] = null;
    }
}

/// <summary>A message: four words of data and, if <see cref="SendCap"/>, the capability in <see cref="CapBuf"/>.</summary>
public readonly record struct IpcMessage(int CapBuf, bool SendCap, ulong D0, ulong D1, ulong D2, ulong D3);

/// <summary>IPC over sockets (cap_ipc.c). A server (socket tag 0) receives on its channel; clients (tag ≠ 0)
/// send to it, or call it (send, then wait for the reply). A receiver gets t0 = SUCCESS, a0 = the sender's
/// tag, a1 = the capability sent (raw word) or 0, a2..a5 = the data. YIELD sockets give the receiver the
/// sender's remaining time and run it at once; NOYIELD ones wake it to run in its own time. A client may
/// send a capability only with CCAP, a server only with SCAP; in YIELD mode a client must have at least the
/// server's SERVTIME left. <paramref name="next"/> arguments are the process the hart runs after the call
/// (s3k's proc_t **next): the caller, another process, or null for the scheduler.</summary>
public sealed class CapIpc(CapTable table, ProcessTable procs, Channels channels, CapOps ops, IKernelTimer timer, KernelTrace trace)
{
    /// <summary>The hart making the call (its mtimecmp is the caller's deadline).</summary>
    public int Hart { get; set; }

    private Err DoSend(Cap cap, in IpcMessage msg, ref Process? next)
    {
        bool isServer = cap.SocketTag == 0;
        ushort chan = cap.Chan;
        int capBuf = channels.CapBuf(chan);
        ulong now = timer.Time, timeout = timer.GetTimeout(Hart);
        if (now >= timeout) return Err.Preempted;

        Process? recv;
        if (isServer)
        {
            recv = channels.Client(chan);
            if (recv == null) return Err.NoReceiver;
            channels.Client(chan) = null;
        }
        else
        {
            recv = channels.Server(chan);
            if (recv == null) return Err.NoReceiver;
            if (cap.Mode == Ipc.Yield && now + recv[Reg.ServTime] >= timeout) return Err.NoReceiver;
        }

        if (!procs.IpcAcquire(recv, chan)) return Err.NoReceiver;
        trace.IpcMessage();
        recv[Reg.T0] = (ulong)Err.Success;
        recv[Reg.A0] = cap.SocketTag;
        recv[Reg.A2] = msg.D0;
        recv[Reg.A3] = msg.D1;
        recv[Reg.A4] = msg.D2;
        recv[Reg.A5] = msg.D3;
        if (msg.SendCap)
        {
            recv[Reg.A1] = table.Cap(msg.CapBuf).Raw;
            // As in s3k, what the move says is not looked at: an empty source or an occupied buffer
            // leaves the capability where it was, and the receiver sees the word all the same.
            if (capBuf >= 0)
            {
                var moved = table.Cap(msg.CapBuf);
                if (ops.Move(msg.CapBuf, capBuf) == Err.Success) trace.IpcTransfer(msg.CapBuf, capBuf, moved);
            }
        }
        else recv[Reg.A1] = 0;

        if (cap.Mode == Ipc.Yield)
        {
            recv.Timeout = next!.Timeout;
            next = recv;
        }
        else
        {
            recv.Timeout = 0;
            procs.Release(recv);
        }
        return Err.Success;
    }

    private void DoRecv(Cap cap, int capBuf, Process recv)
    {
        ushort chan = cap.Chan;
        if (cap.SocketTag == 0)
        {
            channels.Server(chan) = recv;
            channels.CapBuf(chan) = capBuf;
            recv.Timeout = ulong.MaxValue;
        }
        else
        {
            channels.Client(chan) = recv;
            channels.CapBuf(chan) = capBuf;
            if (cap.Mode == Ipc.NoYield) recv.Timeout = ulong.MaxValue;
        }
        procs.IpcWait(recv, chan);
    }

    private Err ReplyRecv(Cap cap, in IpcMessage msg, ref Process? next)
    {
        int capBuf = msg.CapBuf;
        var server = next!;
        if (server.State != ProcState.Busy) throw new KernelAssertion("src/cap_ipc.c", 118);
        if (msg.SendCap && (cap.Perm & Ipc.SCap) == 0) return Err.InvalidSocket;
        // The same slot receives the client's next capability.
        if ((cap.Perm & Ipc.CCap) != 0 && !table.IsEmpty(capBuf) && !msg.SendCap) return Err.DstOccupied;
        var err = DoSend(cap, msg, ref next);
        if (err == Err.Preempted)
        {
            next = null;
            return err;
        }
        // A reply nobody takes: the capability it carried is deleted.
        if (err == Err.NoReceiver && msg.SendCap) ops.Delete(msg.CapBuf);
        DoRecv(cap, capBuf, server);
        if (next == server) next = null;
        return Err.Timeout;
    }

    private Err Call(Cap cap, in IpcMessage msg, ref Process? next)
    {
        int capBuf = msg.CapBuf;
        var client = next!;
        if (msg.SendCap && (cap.Perm & Ipc.CCap) == 0) return Err.InvalidSocket;
        if ((cap.Perm & Ipc.SCap) != 0 && !table.IsEmpty(capBuf) && !msg.SendCap) return Err.DstOccupied;
        var err = DoSend(cap, msg, ref next);
        if (err != Err.Success) return err;
        DoRecv(cap, capBuf, client);
        if (next == client) next = null;
        return Err.Timeout;
    }

    /// <summary>SOCK_SEND: a server's reply or a client's message.</summary>
    public Err Send(int sock, in IpcMessage msg, ref Process? next)
    {
        var cap = table.Cap(sock);
        if (cap.Type == CapType.None) return Err.Empty;
        if (cap.Type != CapType.Socket) return Err.InvalidSocket;
        if ((next!.State & ProcState.Suspended) != 0)
        {
            next = null;
            return Err.Preempted;
        }
        bool isServer = cap.SocketTag == 0;
        if (msg.SendCap && (cap.Perm & (isServer ? Ipc.SCap : Ipc.CCap)) == 0) return Err.InvalidSocket;
        return DoSend(cap, msg, ref next);
    }

    /// <summary>SOCK_RECV: a server waits for a message; a client whose call is pending waits for its reply,
    /// giving its time to the server if the socket yields.</summary>
    public Err Recv(int sock, int capBuf, ref Process? next)
    {
        var cap = table.Cap(sock);
        if (cap.Type == CapType.None) return Err.Empty;
        if (cap.Type != CapType.Socket) return Err.InvalidCapability;
        if ((cap.Perm & Ipc.CCap) != 0 && !table.IsEmpty(capBuf)) return Err.DstOccupied;
        if ((next!.State & ProcState.Suspended) != 0)
        {
            next = null;
            return Err.Preempted;
        }
        ushort chan = cap.Chan;
        if (cap.SocketTag == 0)
        {
            DoRecv(cap, capBuf, next);
            next = null;
            return Err.Timeout;
        }
        if (channels.Client(chan) == next)
        {
            var server = channels.Server(chan);
            var client = next;
            if (server != null && cap.Mode == Ipc.Yield && procs.Acquire(server))
            {
                procs.IpcWait(client, chan);
                channels.CapBuf(chan) = capBuf;
                server.Timeout = next.Timeout;
                next = server;
            }
            return Err.Timeout;
        }
        return Err.InvalidState;
    }

    /// <summary>SOCK_SENDRECV: a server's reply-and-receive, a client's call.</summary>
    public Err SendRecv(int sock, in IpcMessage msg, ref Process? next)
    {
        var cap = table.Cap(sock);
        if (cap.Type == CapType.None) return Err.Empty;
        if (cap.Type != CapType.Socket) return Err.InvalidCapability;
        if ((next!.State & ProcState.Suspended) != 0)
        {
            next = null;
            return Err.Preempted;
        }
        if (next.State != ProcState.Busy) throw new KernelAssertion("src/cap_ipc.c", 229);
        return cap.SocketTag == 0 ? ReplyRecv(cap, msg, ref next) : Call(cap, msg, ref next);
    }
}
