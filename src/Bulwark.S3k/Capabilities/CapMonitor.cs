using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Capabilities;

/// <summary>Monitor calls (cap_monitor.c). A MONITOR capability governs the pids in [mrk, end) — those it
/// has not delegated. Reading or changing another process's registers, capabilities or PMP needs it
/// SUSPENDED and nothing else (not blocked, not still running). With <see cref="IpcLivelockFix"/>, a server
/// suspended in recv waits again when resumed.</summary>
public sealed class CapMonitor(CapTable table, ProcessTable procs, CapOps ops, CapPmp pmp, IpcLivelockFix? livelockFix = null)
{
    private Err Check(int mon, ulong pid, bool mustBeSuspended)
    {
        var m = table.Cap(mon);
        if (m.Type != CapType.Monitor || m.Mrk > pid || pid >= m.End) return Err.InvalidMonitor;
        if (mustBeSuspended && !ProcessTable.IsSuspended(procs.Get(pid))) return Err.InvalidState;
        return Err.Success;
    }

    /// <summary>A move may leave or enter the monitor's own table without that process being suspended.</summary>
    private Err CheckMove(int mon, int src, int dst)
    {
        int monPid = table.Pid(mon), srcPid = table.Pid(src), dstPid = table.Pid(dst);
        Err err;
        if (monPid != srcPid && (err = Check(mon, (ulong)srcPid, true)) != Err.Success) return err;
        if (monPid != dstPid && (err = Check(mon, (ulong)dstPid, true)) != Err.Success) return err;
        return Err.Success;
    }

    public Err Suspend(int mon, ushort pid)
    {
        var err = Check(mon, pid, false);
        if (err != Err.Success) return err;
        var proc = procs.Get(pid);
        livelockFix?.Suspending(proc);
        procs.Suspend(proc);
        return err;
    }

    public Err Resume(int mon, ushort pid)
    {
        var err = Check(mon, pid, false);
        if (err != Err.Success) return err;
        var proc = procs.Get(pid);
        procs.Resume(proc);
        livelockFix?.Resumed(proc);
        return err;
    }

    public Err StateGet(int mon, ushort pid, out ulong state)
    {
        state = 0;
        var err = Check(mon, pid, false);
        if (err == Err.Success) state = procs.Get(pid).State;
        return err;
    }

    /// <summary>Runs the target now, on the caller's remaining time.</summary>
    public Err Yield(int mon, ushort pid, ref Process? next)
    {
        var err = Check(mon, pid, false);
        if (err != Err.Success) return err;
        var proc = procs.Get(pid);
        if (!procs.Acquire(proc)) return Err.InvalidState;
        next = proc;
        return Err.Success;
    }

    public Err RegRead(int mon, ushort pid, uint reg, out ulong value)
    {
        value = 0;
        var err = Check(mon, pid, true);
        if (err == Err.Success) value = procs.Get(pid).Word(reg);
        return err;
    }

    public Err RegWrite(int mon, ushort pid, uint reg, ulong value)
    {
        var err = Check(mon, pid, true);
        if (err == Err.Success) procs.Get(pid).Word(reg) = value;
        return err;
    }

    /// <summary><paramref name="read"/>: whether the capability was read (a0 is written then, even when empty).</summary>
    public Err CapRead(int mon, int src, out Cap cap, out bool read)
    {
        cap = default;
        var err = Check(mon, (ulong)table.Pid(src), true);
        read = err == Err.Success;
        if (read) err = ops.Read(src, out cap);
        return err;
    }

    public Err CapMove(int mon, int src, int dst)
    {
        var err = CheckMove(mon, src, dst);
        if (err == Err.Success) err = ops.Move(src, dst);
        return err;
    }

    public Err PmpLoad(int mon, int pmpEntry, int slot)
    {
        var err = Check(mon, (ulong)table.Pid(pmpEntry), true);
        if (err == Err.Success) err = pmp.Load(pmpEntry, slot);
        return err;
    }

    public Err PmpUnload(int mon, int pmpEntry)
    {
        var err = Check(mon, (ulong)table.Pid(pmpEntry), true);
        if (err == Err.Success) err = pmp.Unload(pmpEntry);
        return err;
    }
}
