using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.SystemBoard.BareMetal;

namespace Bulwark.Tests.SystemBoard;

/// <summary>Physical memory protection as the privileged spec (section "Physical Memory Protection") and
/// QEMU define it: regions by OFF/TOR/NA4/NAPOT, the lowest-numbered matching entry decides, an access
/// only partly inside it fails, no match denies U mode and allows M mode, a locked entry binds M mode and
/// cannot be changed, MPRV makes M-mode loads and stores checked as MPP. Every decision a TLB caches
/// must be dropped when the PMP changes.</summary>
public sealed class PmpTests
{
    private const ulong UserCode = Ram + 0x1000, Data = Ram + 0x2000, Other = Ram + 0x3000;

    /// <summary>U code at UserCode: x6 = load or store through x7, then ecall.</summary>
    private static BareMetal WithUserAccess(uint access)
    {
        var m = new BareMetal();
        m.Code(UserCode, access, Ecall);
        return m;
    }

    private static void AllowUserCode(BareMetal m, int entry = 7)
    {
        Assert.True(m.WriteCsr(PmpAddr0 + entry, NapotAddress(UserCode, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, (PmpX | Napot) << (8 * entry)));
    }

    private static void ExpectTrap(BareMetal m, TrapCause cause, ulong value)
    {
        Assert.Equal(StopReason.Trap, m.Run());
        Assert.Equal(cause, m.Hart.TrapCause);
        Assert.Equal(value, m.Hart.TrapValue);
    }

    private static void ExpectEcall(BareMetal m) => Assert.Equal(StopReason.Ecall, m.Run());

    [Fact]
    public void UserModeWithNoEntryCannotEvenFetch()
    {
        var m = WithUserAccess(Ld(6, 7, 0));
        m.EnterUser(UserCode);
        ExpectTrap(m, TrapCause.InstructionAccessFault, UserCode);
    }

    [Fact]
    public void MachineModeWithNoEntryMayDoAnything()
    {
        var m = new BareMetal();
        m.Code(UserCode, Sd(6, 7, 0), Ld(8, 7, 0), Ecall);
        m.Xr[6] = 0x1234_5678_9abc_def0;
        m.Xr[7] = Data;
        m.Hart.State.Pc = UserCode;
        ExpectEcall(m);
        Assert.Equal(0x1234_5678_9abc_def0UL, m.Xr[8]);
    }

    [Fact]
    public void ReadOnlyRegionAllowsLoadsAndFaultsStoresWithTheAddress()
    {
        var m = WithUserAccess(Sd(6, 7, 8));
        AllowUserCode(m);
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Data, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, (PmpR | Napot) | ((PmpX | Napot) << 56)));
        m.Xr[7] = Data;
        m.EnterUser(UserCode);
        ExpectTrap(m, TrapCause.StoreAccessFault, Data + 8);
        Assert.Equal(0u, m.Peek(Data + 8));

        var load = WithUserAccess(Ld(6, 7, 8));
        AllowUserCode(load);
        Assert.True(load.WriteCsr(PmpAddr0, NapotAddress(Data, 0x1000)));
        Assert.True(load.WriteCsr(PmpCfg0, (PmpR | Napot) | ((PmpX | Napot) << 56)));
        load.Poke(Data + 8, 77);
        load.Xr[7] = Data;
        load.EnterUser(UserCode);
        ExpectEcall(load);
        Assert.Equal(77UL, load.Xr[6]);
    }

    [Fact]
    public void TheLowestNumberedMatchingEntryDecides()
    {
        // Entry 0: the first 16 bytes of Data read-only; entry 1: the whole page read-write.
        var m = WithUserAccess(Sd(6, 7, 0));
        AllowUserCode(m);
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Data, 16)));
        Assert.True(m.WriteCsr(PmpAddr0 + 1, NapotAddress(Data, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, (PmpR | Napot) | ((PmpR | PmpW | Napot) << 8) | ((PmpX | Napot) << 56)));
        m.Xr[7] = Data + 8;
        m.EnterUser(UserCode);
        ExpectTrap(m, TrapCause.StoreAccessFault, Data + 8);

        // Outside the small region the page's entry allows the store.
        var outside = WithUserAccess(Sd(6, 7, 0));
        AllowUserCode(outside);
        Assert.True(outside.WriteCsr(PmpAddr0, NapotAddress(Data, 16)));
        Assert.True(outside.WriteCsr(PmpAddr0 + 1, NapotAddress(Data, 0x1000)));
        Assert.True(outside.WriteCsr(PmpCfg0, (PmpR | Napot) | ((PmpR | PmpW | Napot) << 8) | ((PmpX | Napot) << 56)));
        outside.Xr[6] = 5;
        outside.Xr[7] = Data + 16;
        outside.EnterUser(UserCode);
        ExpectEcall(outside);
        Assert.Equal(5u, outside.Peek(Data + 16));

        // Swapped priorities: the read-write page entry comes first and wins.
        var swapped = WithUserAccess(Sd(6, 7, 0));
        AllowUserCode(swapped);
        Assert.True(swapped.WriteCsr(PmpAddr0, NapotAddress(Data, 0x1000)));
        Assert.True(swapped.WriteCsr(PmpAddr0 + 1, NapotAddress(Data, 16)));
        Assert.True(swapped.WriteCsr(PmpCfg0, (PmpR | PmpW | Napot) | ((PmpR | Napot) << 8) | ((PmpX | Napot) << 56)));
        swapped.Xr[6] = 9;
        swapped.Xr[7] = Data + 8;
        swapped.EnterUser(UserCode);
        ExpectEcall(swapped);
        Assert.Equal(9u, swapped.Peek(Data + 8));
    }

    [Fact]
    public void AnAccessStraddlingTheMatchingEntrysBoundaryFails()
    {
        // NA4 entry 0 allows [Data, Data+4) read-write; entry 1 allows the whole page. An 8-byte store at
        // Data matches entry 0 first but only half of it lies inside: it fails although both halves are allowed.
        var m = WithUserAccess(Sd(6, 7, 0));
        AllowUserCode(m);
        Assert.True(m.WriteCsr(PmpAddr0, Data >> 2));
        Assert.True(m.WriteCsr(PmpAddr0 + 1, NapotAddress(Data, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, (PmpR | PmpW | Na4) | ((PmpR | PmpW | Napot) << 8) | ((PmpX | Napot) << 56)));
        m.Xr[6] = ulong.MaxValue;
        m.Xr[7] = Data;
        m.EnterUser(UserCode);
        ExpectTrap(m, TrapCause.StoreAccessFault, Data);
        Assert.Equal(0u, m.Peek(Data));
        Assert.Equal(0u, m.Peek(Data + 4));
    }

    [Fact]
    public void TopOfRangeUsesThePreviousAddressAsItsBase()
    {
        var inside = WithUserAccess(Ld(6, 7, 0));
        AllowUserCode(inside);
        Assert.True(inside.WriteCsr(PmpAddr0, (Data + 0x100) >> 2));
        Assert.True(inside.WriteCsr(PmpAddr0 + 1, (Data + 0x200) >> 2));
        Assert.True(inside.WriteCsr(PmpCfg0, ((PmpR | Tor) << 8) | ((PmpX | Napot) << 56)));
        inside.Xr[7] = Data + 0x1f8;
        inside.EnterUser(UserCode);
        ExpectEcall(inside);

        var below = WithUserAccess(Ld(6, 7, 0));
        AllowUserCode(below);
        Assert.True(below.WriteCsr(PmpAddr0, (Data + 0x100) >> 2));
        Assert.True(below.WriteCsr(PmpAddr0 + 1, (Data + 0x200) >> 2));
        Assert.True(below.WriteCsr(PmpCfg0, ((PmpR | Tor) << 8) | ((PmpX | Napot) << 56)));
        below.Xr[7] = Data + 0xf8;
        below.EnterUser(UserCode);
        ExpectTrap(below, TrapCause.LoadAccessFault, Data + 0xf8);
    }

    [Fact]
    public void ALockedEntryBindsMachineModeAndIgnoresWrites()
    {
        var m = new BareMetal();
        m.Code(UserCode, Sd(6, 7, 0), Ecall);
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Data, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, PmpR | Napot | Locked));
        // Locked: neither the address nor the configuration can change any more.
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Other, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, PmpR | PmpW | PmpX | Napot));
        Assert.Equal(NapotAddress(Data, 0x1000), m.ReadCsr(PmpAddr0));
        Assert.Equal(PmpR | Napot | Locked, m.ReadCsr(PmpCfg0) & 0xff);
        m.Xr[7] = Data;
        m.Hart.State.Pc = UserCode;
        ExpectTrap(m, TrapCause.StoreAccessFault, Data);
    }

    [Fact]
    public void AnUnlockedEntryDoesNotBindMachineMode()
    {
        var m = new BareMetal();
        m.Code(UserCode, Sd(6, 7, 0), Ecall);
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Data, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, PmpR | Napot));
        m.Xr[6] = 3;
        m.Xr[7] = Data;
        m.Hart.State.Pc = UserCode;
        ExpectEcall(m);
        Assert.Equal(3u, m.Peek(Data));
    }

    [Fact]
    public void ALockedTopOfRangeEntryLocksThePreviousAddress()
    {
        var m = new BareMetal();
        Assert.True(m.WriteCsr(PmpAddr0, Data >> 2));
        Assert.True(m.WriteCsr(PmpAddr0 + 1, Other >> 2));
        Assert.True(m.WriteCsr(PmpCfg0, (PmpR | Tor | Locked) << 8));
        Assert.True(m.WriteCsr(PmpAddr0, UserCode >> 2));
        Assert.Equal(Data >> 2, m.ReadCsr(PmpAddr0));
    }

    [Fact]
    public void MprvChecksMachineModeLoadsAsTheModeInMpp()
    {
        var m = new BareMetal();
        m.Code(UserCode, Ld(6, 7, 0), Ecall);
        // Entry 0 lets U read Other only; MPRV=1 with MPP=U makes the M-mode load of Data a U load.
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Other, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, PmpR | Napot));
        Assert.True(m.WriteCsr(Mstatus, 1UL << 17));
        m.Xr[7] = Data;
        m.Hart.State.Pc = UserCode;
        // Fetches are not affected by MPRV: the M-mode fetch from UserCode succeeds.
        ExpectTrap(m, TrapCause.LoadAccessFault, Data);

        Assert.True(m.WriteCsr(Mstatus, 0));
        m.Hart.State.Pc = UserCode;
        ExpectEcall(m);
    }

    [Fact]
    public void ChangingThePmpDropsDecisionsTheTlbCached()
    {
        var m = WithUserAccess(Ld(6, 7, 0));
        AllowUserCode(m);
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Data, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, (PmpR | Napot) | ((PmpX | Napot) << 56)));
        m.Xr[7] = Data;
        m.EnterUser(UserCode);
        ExpectEcall(m);

        // Back in M mode (as a kernel would be), revoke the read permission, return to U: the load faults.
        m.Hart.State.Pc = UserCode;
        typeof(Hart).GetProperty("Privilege")!.SetValue(m.Hart, PrivilegeMode.Machine);
        Assert.True(m.WriteCsr(PmpCfg0, Napot | ((PmpX | Napot) << 56)));
        m.EnterUser(UserCode);
        ExpectTrap(m, TrapCause.LoadAccessFault, Data);
    }

    [Fact]
    public void ASmallRegionInsideAPageIsCheckedOnEveryAccessNotCachedForThePage()
    {
        // Entry 0 denies [Data+64, Data+72); entry 1 allows the rest of the page. After a load from Data
        // succeeds, a load from Data+64 must still fault: the page's decision is not uniform.
        var m = new BareMetal();
        m.Code(UserCode, Ld(6, 7, 0), Ld(6, 7, 64), Ecall);
        AllowUserCode(m);
        Assert.True(m.WriteCsr(PmpAddr0, NapotAddress(Data + 64, 8)));
        Assert.True(m.WriteCsr(PmpAddr0 + 1, NapotAddress(Data, 0x1000)));
        Assert.True(m.WriteCsr(PmpCfg0, Napot | ((PmpR | Napot) << 8) | ((PmpX | Napot) << 56)));
        m.Xr[7] = Data;
        m.EnterUser(UserCode);
        ExpectTrap(m, TrapCause.LoadAccessFault, Data + 64);
        Assert.Equal(UserCode + 4, m.Hart.State.Pc);
    }

    [Fact]
    public void RegistersReadBackAsWrittenAndReservedBitsStayClear()
    {
        var m = new BareMetal();
        Assert.True(m.WriteCsr(PmpAddr0 + 15, 0x3f_ffff_ffff_ffffUL | (1UL << 60)));
        Assert.Equal(0x3f_ffff_ffff_ffffUL, m.ReadCsr(PmpAddr0 + 15));
        // Bits 5-6 are reserved; W without R is reserved and leaves W clear.
        Assert.True(m.WriteCsr(PmpCfg0, 0x60 | PmpW | Napot));
        Assert.Equal(Napot, m.ReadCsr(PmpCfg0) & 0xff);
        // RV64 has no odd pmpcfg registers and only 16 entries.
        Assert.False(m.WriteCsr(PmpCfg0 + 1, 0));
        Assert.False(m.WriteCsr(PmpCfg0 + 4, 0));
        Assert.False(m.WriteCsr(PmpAddr0 + 16, 0));
    }
}
