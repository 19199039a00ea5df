namespace Bulwark.S3k.Capabilities;

/// <summary>The derivation rules (cap_util.c's cap_is_valid and cap_ops.c's derive handlers).
/// A new capability must be fresh: its mark at its beginning, nothing locked or loaded. The parent
/// hands out from its mark on and moves the mark past what it gave:
/// <code>
/// TIME    → TIME     same hart, child begins at the mark, ends within        mrk = child end
/// MEMORY  → MEMORY   same tag, within [mrk, end), rwx ⊆, parent not locked    mrk = child end
/// MEMORY  → PMP      NAPOT region within [mrk, end) (bytes), rwx ⊆           lck = 1
/// MONITOR → MONITOR, CHANNEL → CHANNEL: within [mrk, end)                     mrk = child end
/// CHANNEL → SOCKET   channel within [mrk, end)                                mrk = channel + 1
/// SOCKET  → SOCKET   only the server's (tag 0), to a client (tag ≠ 0), same channel, mode, perm
/// </code></summary>
public static class Derivation
{
    /// <summary>cap_is_valid: may this word be the new capability of a derivation at all?</summary>
    public static bool IsValid(Cap c) => c.Type switch
    {
        CapType.Time => c.Bgn < c.End && c.Bgn == c.Mrk,
        CapType.Memory => !c.Lck && c.Bgn < c.End && c.Mrk == c.Bgn,
        CapType.Pmp => !c.Used && c.Slot == 0,
        CapType.Monitor or CapType.Channel => c.Bgn < c.End && c.Bgn == c.Mrk,
        CapType.Socket => c.Mode is Ipc.Yield or Ipc.NoYield,
        _ => false,
    };

    /// <summary>The parent as it is after deriving <paramref name="child"/>, or null if it may not.</summary>
    public static Cap? Derive(Cap parent, Cap child) => parent.Type switch
    {
        CapType.Time => FromTime(parent, child),
        CapType.Memory => FromMemory(parent, child),
        CapType.Monitor or CapType.Channel when child.Type == parent.Type && parent.Mrk <= child.Bgn && child.End <= parent.End =>
            parent.WithMrk(child.End),
        CapType.Channel when child.Type == CapType.Socket && parent.Mrk <= child.Chan && child.Chan < parent.End =>
            parent.WithMrk((ushort)(child.Chan + 1)),
        CapType.Socket when child.Type == CapType.Socket && child.Chan == parent.Chan && child.Perm == parent.Perm
                            && child.Mode == parent.Mode && parent.SocketTag == 0 && child.SocketTag != 0 =>
            parent,
        _ => null,
    };

    private static Cap? FromTime(Cap p, Cap c) =>
        c.Type == CapType.Time && c.Hart == p.Hart && c.Bgn == p.Mrk && c.End <= p.End ? p.WithMrk(c.End) : null;

    private static Cap? FromMemory(Cap p, Cap c)
    {
        if (c.Type == CapType.Memory && p.Tag == c.Tag && p.Mrk <= c.Bgn && c.End <= p.End && (c.Rwx & p.Rwx) == c.Rwx && !p.Lck)
            return p.WithMrk(c.End);
        var (pmpBegin, size) = Cap.NapotDecode(c.Addr);
        ulong pmpEnd = pmpBegin + size;
        if (c.Type == CapType.Pmp && Cap.BlockAddress(p.Tag, p.Mrk) <= pmpBegin && pmpEnd <= Cap.BlockAddress(p.Tag, p.End)
            && (c.Rwx & p.Rwx) == c.Rwx)
            return p.WithLck(true);
        return null;
    }
}
