using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Capabilities;

/// <summary>PMP_LOAD and PMP_UNLOAD (cap_pmp.c): a PMP capability takes a free PMP slot of the process
/// that holds it. This changes the process's saved PMP; the hart's PMP registers follow at the next
/// dispatch of the process or its SYNC, as in s3k.</summary>
public sealed class CapPmp(CapTable table, ProcessTable procs)
{
    /// <summary>Not s3k: quarantined memory may not be loaded (`--revoke-policy quarantine`).</summary>
    public Dma.RevocationGuard? Guard { get; set; }

    public Err Load(int pmp, int slot)
    {
        var proc = procs[table.Pid(pmp)];
        var cap = table.Cap(pmp);
        if (cap.Type == CapType.None) return Err.Empty;
        if (cap.Type != CapType.Pmp || cap.Used) return Err.InvalidPmp;
        if (!ProcessTable.PmpAvailable(proc, slot)) return Err.DstOccupied;
        if (Guard?.MayGrant(cap) is { } err && err != Err.Success) return err;
        ProcessTable.PmpLoad(proc, slot, cap.Rwx, cap.Addr);
        table.SetCap(pmp, cap.WithUsedSlot(true, (byte)slot));
        return Err.Success;
    }

    public Err Unload(int pmp)
    {
        var proc = procs[table.Pid(pmp)];
        var cap = table.Cap(pmp);
        if (cap.Type == CapType.None) return Err.Empty;
        if (cap.Type != CapType.Pmp || !cap.Used) return Err.InvalidPmp;
        ProcessTable.PmpUnload(proc, cap.Slot);
        table.SetCap(pmp, cap.WithUsedSlot(false, 0));
        return Err.Success;
    }
}
