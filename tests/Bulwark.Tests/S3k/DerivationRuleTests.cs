using Bulwark.S3k.Capabilities;

namespace Bulwark.Tests.S3k;

/// <summary>Every derivation rule of cap_util.c and cap_ops.c, one valid and each way of being invalid,
/// per parent type; and what the parent looks like afterwards.</summary>
public sealed class DerivationRuleTests
{
    private static readonly Cap Time = Cap.Time(0, 0, 16);
    private static readonly Cap Mem = Cap.Memory(0x8002_0000, 0x8004_0000, Rwx.Rw);
    private static readonly Cap Mon = Cap.Monitor(0, 4);
    private static readonly Cap Chan = Cap.Channel(0, 4);
    private static readonly Cap Server = Cap.Socket(1, Ipc.Yield, Ipc.SData | Ipc.CData, 0);

    public static TheoryData<string, Cap, Cap, Cap?> Cases() => new()
    {
        // TIME → TIME: same hart, begins at the mark, ends within.
        { "time", Time, Cap.Time(0, 0, 8), Time.WithMrk(8) },
        { "time whole", Time, Cap.Time(0, 0, 16), Time.WithMrk(16) },
        { "time other hart", Time, Cap.Time(1, 0, 8), null },
        { "time not at mark", Time.WithMrk(4), Cap.Time(0, 5, 8), null },
        { "time below mark", Time.WithMrk(4), Cap.Time(0, 0, 8), null },
        { "time past end", Time, Cap.Time(0, 0, 17), null },
        { "time to memory", Time, Mem, null },
        // MEMORY → MEMORY: same tag, within [mrk, end), rwx a subset, parent unlocked.
        { "memory", Mem, Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.R), Mem.WithMrk(0x30) },
        { "memory above mark", Mem, Cap.Memory(0x8003_0000, 0x8004_0000, Rwx.Rw), Mem.WithMrk(0x40) },
        { "memory below mark", Mem.WithMrk(0x30), Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.R), null },
        { "memory past end", Mem, Cap.Memory(0x8002_0000, 0x8004_1000, Rwx.R), null },
        { "memory more rights", Mem, Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.All), null },
        { "memory other tag", Mem, Cap.Memory(0x1000_0000, 0x1000_1000, Rwx.R), null },
        { "memory from locked", Mem.WithLck(true), Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.R), null },
        // MEMORY → PMP: a NAPOT region in [mrk, end) in bytes, rwx a subset; the parent locks (even if locked).
        { "pmp", Mem, Cap.Pmp(Cap.NapotEncode(0x8002_0000, 0x1_0000), Rwx.R), Mem.WithLck(true) },
        { "pmp whole", Mem, Cap.Pmp(Cap.NapotEncode(0x8002_0000, 0x2_0000), Rwx.Rw), Mem.WithLck(true) },
        { "pmp from locked", Mem.WithLck(true), Cap.Pmp(Cap.NapotEncode(0x8002_0000, 0x1_0000), Rwx.R), Mem.WithLck(true) },
        { "pmp below mark", Mem.WithMrk(0x30), Cap.Pmp(Cap.NapotEncode(0x8002_0000, 0x1_0000), Rwx.R), null },
        { "pmp past end", Mem, Cap.Pmp(Cap.NapotEncode(0x8000_0000, 0x8_0000), Rwx.R), null },
        { "pmp running past end", Cap.Memory(0x8000_0000, 0x8001_0000, Rwx.Rw), Cap.Pmp(Cap.NapotEncode(0x8000_0000, 0x2_0000), Rwx.R), null },
        { "pmp more rights", Mem, Cap.Pmp(Cap.NapotEncode(0x8002_0000, 0x1_0000), Rwx.X), null },
        // PMP → anything: never.
        { "from pmp", Cap.Pmp(0x2000_5fff, Rwx.All), Cap.Pmp(0x2000_5fff, Rwx.R), null },
        // MONITOR → MONITOR within [mrk, end).
        { "monitor", Mon, Cap.Monitor(1, 3), Mon.WithMrk(3) },
        { "monitor below mark", Mon.WithMrk(2), Cap.Monitor(1, 3), null },
        { "monitor past end", Mon, Cap.Monitor(1, 5), null },
        { "monitor to channel", Mon, Cap.Channel(1, 3), null },
        // CHANNEL → CHANNEL within [mrk, end); CHANNEL → SOCKET on a channel in [mrk, end).
        { "channel", Chan, Cap.Channel(2, 4), Chan.WithMrk(4) },
        { "channel below mark", Chan.WithMrk(3), Cap.Channel(2, 4), null },
        { "channel to socket", Chan, Cap.Socket(2, Ipc.NoYield, Ipc.CCap, 0), Chan.WithMrk(3) },
        { "channel to socket at end", Chan, Cap.Socket(4, Ipc.NoYield, Ipc.CCap, 0), null },
        { "channel to socket below mark", Chan.WithMrk(3), Cap.Socket(2, Ipc.NoYield, Ipc.CCap, 0), null },
        // SOCKET → SOCKET: the server's only, to a client, same channel, mode and permissions.
        { "client", Server, Cap.Socket(1, Ipc.Yield, Ipc.SData | Ipc.CData, 7), Server },
        { "client of a client", Cap.Socket(1, Ipc.Yield, Ipc.SData | Ipc.CData, 3), Cap.Socket(1, Ipc.Yield, Ipc.SData | Ipc.CData, 7), null },
        { "second server", Server, Cap.Socket(1, Ipc.Yield, Ipc.SData | Ipc.CData, 0), null },
        { "client other perm", Server, Cap.Socket(1, Ipc.Yield, Ipc.SData, 7), null },
        { "client other mode", Server, Cap.Socket(1, Ipc.NoYield, Ipc.SData | Ipc.CData, 7), null },
        { "client other channel", Server, Cap.Socket(0, Ipc.Yield, Ipc.SData | Ipc.CData, 7), null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DerivesOnlyWhatTheRulesAllow(string what, Cap parent, Cap child, Cap? parentAfter)
    {
        Assert.True(Derivation.IsValid(child), $"{what}: the child itself must be a valid new capability");
        Assert.Equal(parentAfter, Derivation.Derive(parent, child));
    }

    public static TheoryData<string, Cap, bool> Validity() => new()
    {
        { "time", Cap.Time(0, 1, 2), true },
        { "time empty", Cap.Time(0, 2, 2), false },
        { "time marked", Cap.Time(0, 1, 4).WithMrk(2), false },
        { "memory", Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.R), true },
        { "memory locked", Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.R).WithLck(true), false },
        { "memory marked", Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.R).WithMrk(0x21), false },
        { "memory empty", Cap.MemoryBlocks(0x10, 5, 5, Rwx.R), false },
        { "pmp", Cap.Pmp(0x2000_5fff, Rwx.All), true },
        { "pmp used", Cap.Pmp(0x2000_5fff, Rwx.All).WithUsedSlot(true, 0), false },
        { "pmp slot", Cap.Pmp(0x2000_5fff, Rwx.All).WithUsedSlot(false, 1), false },
        { "monitor", Cap.Monitor(0, 1), true },
        { "monitor marked", Cap.Monitor(0, 2).WithMrk(1), false },
        { "channel empty", Cap.Channel(1, 1), false },
        { "socket yield", Cap.Socket(0, Ipc.Yield, 0xff, 9), true },
        { "socket mode 2", Cap.Socket(0, 2, 0, 9), false },
        { "none", default, false },
        { "type 7", new Cap(7), false },
        { "type 15", new Cap(0xffff_ffff_ffff_ffff), false },
        // Padding is not looked at.
        { "time with padding", new Cap(Cap.Time(0, 1, 2).Raw | 0xf0), true },
    };

    [Theory]
    [MemberData(nameof(Validity))]
    public void NewCapabilitiesMustBeFresh(string what, Cap cap, bool valid) => Assert.True(Derivation.IsValid(cap) == valid, what);
}
