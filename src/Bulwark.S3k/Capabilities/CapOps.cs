using Bulwark.S3k.Kernel;
using Bulwark.S3k.Processes;
using Bulwark.S3k.Scheduling;

namespace Bulwark.S3k.Capabilities;

/// <summary>Read, move, delete, revoke and derive (cap_ops.c), each dispatched on the capability's type.
/// Revoke runs one step at a time on the entry after the parent: a descendant is deleted and the parent
/// takes over its mark (the step says CONTINUE), anything else ends the revocation with the parent's mark
/// back at its beginning. Between steps the kernel checks for preemption: a preempted revoke returns
/// PREEMPTED with its progress kept, and calling it again goes on from there.</summary>
public sealed class CapOps(CapTable table, ProcessTable procs, SlotTable slots, Channels channels, KernelTrace trace)
{
    /// <summary>kernel_preempt: whether the current hart's timer has expired (set by the kernel per entry).</summary>
    public Func<bool> Preempt { get; set; } = () => false;

    /// <summary>Not s3k: the revoke policy's guard (`--revoke-policy`), asked before memory leaves its holder
    /// and before memory is given (quarantine); null when DMA is not supervised.</summary>
    public Dma.RevocationGuard? Guard { get; set; }

    private Err MayTake(int c) => Guard?.BeforeTake(table, c) ?? Err.Success;

    private Err MayGrant(Cap cap) => Guard?.MayGrant(cap) ?? Err.Success;

    /// <summary>cap_read.</summary>
    public Err Read(int c, out Cap cap)
    {
        cap = table.Cap(c);
        return cap.Raw != 0 ? Err.Success : Err.Empty;
    }

    /// <summary>cap_move: across processes a TIME capability's free slots follow it, and a loaded PMP
    /// capability is unloaded from its old holder first.</summary>
    public Err Move(int src, int dst)
    {
        if (table.IsEmpty(src)) return Err.SrcEmpty;
        if (!table.IsEmpty(dst)) return Err.DstOccupied;
        if (table.Pid(src) != table.Pid(dst))
        {
            // The memory changes hands: quarantined bytes may not, and a device's may only as the policy says.
            var err = MayGrant(table.Cap(src));
            if (err == Err.Success) err = MayTake(src);
            if (err != Err.Success) return err;
            MoveAcrossProcesses(src, dst);
        }
        trace.Move(src, dst, table.Cap(src));
        table.Move(src, dst);
        return Err.Success;
    }

    private void MoveAcrossProcesses(int src, int dst)
    {
        var cap = table.Cap(src);
        switch (cap.Type)
        {
            case CapType.Time:
                slots.Update((ulong)table.Pid(dst), cap.End, cap.Hart, cap.Mrk, cap.End);
                break;
            case CapType.Pmp when cap.Used:
                ProcessTable.PmpUnload(procs[table.Pid(src)], cap.Slot);
                table.SetCap(src, cap.WithUsedSlot(false, 0));
                break;
        }
    }

    /// <summary>cap_delete: one entry; its children stay (and are now the children of its parent).</summary>
    public Err Delete(int c)
    {
        if (table.IsEmpty(c)) return Err.Empty;
        var cap = table.Cap(c);
        var taken = MayTake(c);
        if (taken != Err.Success) return taken;
        trace.Delete(c, cap);
        switch (cap.Type)
        {
            case CapType.Time:
                slots.Delete(cap.Hart, cap.Mrk, cap.End);
                break;
            case CapType.Pmp:
                if (cap.Used) ProcessTable.PmpUnload(procs[table.Pid(c)], cap.Slot);
                break;
            case CapType.Socket:
                channels.Clear(cap, procs[table.Pid(c)]);
                break;
        }
        table.Delete(c);
        return Err.Success;
    }

    /// <summary>cap_revoke: steps until done or preempted.</summary>
    public Err Revoke(int parent)
    {
        if (table.Cap(parent).Type == CapType.None) return Err.Empty;
        Err err;
        do err = RevokeStep(parent);
        while (err < 0 && !Preempt());
        // A step the revoke policy denied (DMA_BUSY) ends the call like a preemption: progress is kept.
        var result = err < 0 ? Err.Preempted : err;
        trace.Revoked(parent, result);
        return result;
    }

    /// <summary>One step of a revocation: CONTINUE after deleting a descendant, SUCCESS when none follows.</summary>
    public Err RevokeStep(int parent)
    {
        var p = table.Cap(parent);
        return p.Type switch
        {
            CapType.Time => RevokeTime(parent, p),
            CapType.Memory => RevokeMemory(parent, p),
            CapType.Monitor or CapType.Channel => RevokeRange(parent, p),
            CapType.Socket => RevokeSocket(parent, p),
            // A PMP capability has no children.
            _ => Err.Success,
        };
    }

    private Cap DeleteChild(int parent, int child)
    {
        trace.RevokeStep(parent, child, table.Cap(child));
        return table.Delete(child);
    }

    private Err RevokeTime(int parent, Cap p)
    {
        int child = table.Next(parent);
        var c = table.Cap(child);
        ulong pid = (ulong)table.Pid(parent);
        if (c.Type == CapType.Time && p.Hart == c.Hart && p.Bgn <= c.Bgn && c.End <= p.End)
        {
            DeleteChild(parent, child);
            // The child's slots that it had not given away come back.
            slots.Update(pid, p.End, p.Hart, c.Mrk, p.Mrk);
            p = p.WithMrk(c.Mrk);
            table.SetCap(parent, p);
            return p.Mrk == p.Bgn ? Err.Success : Err.Continue;
        }
        slots.Update(pid, p.End, p.Hart, p.Bgn, p.Mrk);
        table.SetCap(parent, p.WithMrk(p.Bgn));
        return Err.Success;
    }

    private Err RevokeMemory(int parent, Cap p)
    {
        int child = table.Next(parent);
        var c = table.Cap(child);
        // No end check: the list order says a memory capability of the same tag that follows is a descendant.
        if (c.Type == CapType.Memory && p.Tag == c.Tag && p.Bgn <= c.Bgn)
        {
            var taken = MayTake(child);
            if (taken != Err.Success) return taken;
            DeleteChild(parent, child);
            p = p.WithMrk(c.Mrk).WithLck(c.Lck);
            table.SetCap(parent, p);
            return p.Mrk == p.Bgn && !p.Lck ? Err.Success : Err.Continue;
        }
        var (pmpBase, _) = Cap.NapotDecode(c.Addr);
        if (c.Type == CapType.Pmp && Cap.BlockAddress(p.Tag, p.Bgn) <= pmpBase)
        {
            var taken = MayTake(child);
            if (taken != Err.Success) return taken;
            DeleteChild(parent, child);
            if (c.Used) ProcessTable.PmpUnload(procs[table.Pid(child)], c.Slot);
            return Err.Continue;
        }
        table.SetCap(parent, p.WithMrk(p.Bgn).WithLck(false));
        return Err.Success;
    }

    /// <summary>MONITOR and CHANNEL (a channel's children are channels and sockets).</summary>
    private Err RevokeRange(int parent, Cap p)
    {
        int child = table.Next(parent);
        var c = table.Cap(child);
        if (c.Type == p.Type && p.Bgn <= c.Bgn)
        {
            DeleteChild(parent, child);
            p = p.WithMrk(c.Mrk);
            table.SetCap(parent, p);
            return p.Mrk == p.Bgn ? Err.Success : Err.Continue;
        }
        if (p.Type == CapType.Channel && c.Type == CapType.Socket && p.Bgn <= c.Chan)
        {
            DeleteChild(parent, child);
            channels.Clear(c, procs[table.Pid(child)]);
            return Err.Continue;
        }
        table.SetCap(parent, p.WithMrk(p.Bgn));
        return Err.Success;
    }

    private Err RevokeSocket(int parent, Cap p)
    {
        int child = table.Next(parent);
        var c = table.Cap(child);
        if (c.Type == CapType.Socket && p.Chan == c.Chan && p.SocketTag == 0)
        {
            DeleteChild(parent, child);
            channels.Clear(c, procs[table.Pid(child)]);
            return Err.Continue;
        }
        return Err.Success;
    }

    /// <summary>cap_derive: the source's type decides what it may derive (see <see cref="Derivation"/>).</summary>
    public Err Derive(int src, int dst, Cap n)
    {
        if (table.IsEmpty(src)) return Err.SrcEmpty;
        if (!table.IsEmpty(dst)) return Err.DstOccupied;
        var s = table.Cap(src);
        if (Derivation.Derive(s, n) is not { } parentAfter) return Err.InvalidDerivation;
        var granted = MayGrant(n);
        if (granted != Err.Success) return granted;
        if (n.Type == CapType.Time)
            slots.Update((ulong)table.Pid(dst), n.End, n.Hart, n.Bgn, n.End);
        table.SetCap(src, parentAfter);
        table.Insert(dst, n, src);
        trace.Derive(src, dst, n);
        return Err.Success;
    }
}
