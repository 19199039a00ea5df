using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Capabilities;

/// <summary>`--fix-ipc-livelock`: a server suspended while it waits in recv goes back to waiting when it is
/// resumed, instead of s3k's behaviour (runnable, its recv ending with SUSPENDED, while the channel still
/// names it as the receiver). In s3k a client's send then finds a receiver that is not waiting and gets
/// NO_RECEIVER; a server that lives on its clients' YIELD time never runs again to wait anew, so its
/// clients get NO_RECEIVER for ever (the reference note's §1.5 livelock).
///
/// The wait is restored only when the resume can make no difference to anyone but the waiting clients: the
/// process was waiting on channel c as its server when it was suspended, it is resumed from being only
/// suspended, it is still the channel's registered server and still holds a server socket of channel c,
/// and its monitor changed neither its pc nor its t0 meanwhile. It then gets back exactly the state, t0
/// and timeout it had (BLOCKED | c, the recv's result, never scheduled): the state of a server that was
/// never suspended, only slow, which s3k itself reaches. Nothing was delivered to it while suspended
/// (delivery needs exactly BLOCKED | c). Whenever one of the conditions fails, s3k's behaviour stands, so a
/// monitor that redirects, rewires or takes the socket of a suspended server keeps control of it.</summary>
public sealed class IpcLivelockFix(CapTable table, Channels channels)
{
    private readonly record struct Wait(ushort Chan, ulong T0, ulong Pc, ulong Timeout);

    private readonly Dictionary<int, Wait> _waits = [];

    /// <summary>How many waits a resume gave back (for --stats and tests).</summary>
    public long Restored { get; private set; }

    /// <summary>Before proc_suspend: remember a server's wait on its channel.</summary>
    public void Suspending(Process p)
    {
        if ((p.State & ProcState.Blocked) == 0) return;
        ushort chan = (ushort)(p.State >> ProcState.ChannelShift);
        if (channels.Server(chan) == p) _waits[p.Pid] = new Wait(chan, p[Reg.T0], p[Reg.Pc], p.Timeout);
    }

    /// <summary>After proc_resume: the wait back, if nothing that matters changed.</summary>
    public void Resumed(Process p)
    {
        if (!_waits.Remove(p.Pid, out var wait)) return;
        if (p.State != 0 || channels.Server(wait.Chan) != p || p[Reg.Pc] != wait.Pc || p[Reg.T0] != (ulong)Err.Suspended
            || !HoldsServerSocket(p.Pid, wait.Chan)) return;
        p.State = ProcState.Waiting(wait.Chan);
        p[Reg.T0] = wait.T0;
        p.Timeout = wait.Timeout;
        Restored++;
    }

    private bool HoldsServerSocket(int pid, ushort chan)
    {
        for (int i = 0; i < table.CapCount; i++)
        {
            var cap = table.Cap(table.Get((ulong)pid, (ulong)i));
            if (cap.Type == CapType.Socket && cap.Chan == chan && cap.SocketTag == 0) return true;
        }
        return false;
    }
}
