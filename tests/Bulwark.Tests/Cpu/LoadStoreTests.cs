using Bulwark.Machine.Cpu;
using Bulwark.Machine.Translation;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>Loads and stores (unprivileged ISA, sections 2.6 and 4.3): LB/LH/LW sign-extend, the U forms
/// zero-extend, memory is little-endian, misaligned accesses are allowed to work. Faults follow the
/// privileged ISA: a page fault leaves pc on the faulting instruction, and for an access that spans
/// two pages stval holds "the virtual address of the portion of the access that caused the fault".</summary>
public abstract class LoadStoreTests(EngineKind engine)
{

    private CpuFixture WithData()
    {
        var f = new CpuFixture(engine: engine);
        // Bytes f0 de bc 9a 78 56 34 92 at DataVa.
        f.Write64(f.Data, 0, 0x9234_5678_9abc_def0);
        f.X[1] = DataVa;
        return f;
    }

    [Theory]
    [InlineData("lb", 0, 0xffff_ffff_ffff_fff0UL)]
    [InlineData("lbu", 0, 0x0000_0000_0000_00f0UL)]
    [InlineData("lh", 0, 0xffff_ffff_ffff_def0UL)]
    [InlineData("lhu", 0, 0x0000_0000_0000_def0UL)]
    [InlineData("lw", 0, 0xffff_ffff_9abc_def0UL)]
    [InlineData("lwu", 0, 0x0000_0000_9abc_def0UL)]
    [InlineData("ld", 0, 0x9234_5678_9abc_def0UL)]
    [InlineData("lb", 4, 0x0000_0000_0000_0078UL)]   // positive byte
    [InlineData("lh", 4, 0x0000_0000_0000_5678UL)]
    [InlineData("lw", 4, 0xffff_ffff_9234_5678UL)]
    [InlineData("lwu", 4, 0x0000_0000_9234_5678UL)]
    public void Loads_SignAndZeroExtend(string op, int offset, ulong expected)
    {
        var f = WithData();
        uint insn = op switch
        {
            "lb" => Lb(3, 1, offset),
            "lbu" => Lbu(3, 1, offset),
            "lh" => Lh(3, 1, offset),
            "lhu" => Lhu(3, 1, offset),
            "lw" => Lw(3, 1, offset),
            "lwu" => Lwu(3, 1, offset),
            _ => Ld(3, 1, offset),
        };
        f.Load(insn, Ecall);
        f.X[3] = 0x5555_5555_5555_5555;
        f.RunToEcall();
        Assert.Equal(expected, f.X[3]);
    }

    [Fact]
    public void Load_NegativeOffset()
    {
        var f = WithData();
        f.X[1] = DataVa + 0x10;
        f.Load(Lw(3, 1, -16), Ecall);
        f.RunToEcall();
        Assert.Equal(0xffff_ffff_9abc_def0UL, f.X[3]);
    }

    [Fact]
    public void Sd_Ld_RoundTrip_LittleEndian()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = DataVa;
        f.X[2] = 0x0102_0304_0506_0708;
        f.Load(Sd(2, 1, 8), Ld(3, 1, 8), Ecall);
        f.RunToEcall();
        Assert.Equal(0x0102_0304_0506_0708UL, f.X[3]);
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, f.Data[8..16]);
    }

    [Fact]
    public void NarrowStores_WriteOnlyTheirWidth()
    {
        var f = new CpuFixture(engine: engine);
        for (int i = 0; i < 32; i++) f.Data[i] = 0xaa;
        f.X[1] = DataVa;
        f.X[2] = 0x1122_3344_5566_7788;
        f.Load(Sb(2, 1, 0), Sh(2, 1, 8), Sw(2, 1, 16), Ecall);
        f.RunToEcall();
        Assert.Equal(new byte[] { 0x88, 0xaa, 0xaa, 0xaa }, f.Data[0..4]);
        Assert.Equal(new byte[] { 0x88, 0x77, 0xaa, 0xaa }, f.Data[8..12]);
        Assert.Equal(new byte[] { 0x88, 0x77, 0x66, 0x55, 0xaa, 0xaa }, f.Data[16..22]);
    }

    [Fact]
    public void MisalignedAccesses_WithinAPage_Work()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = DataVa;
        f.X[2] = 0x1122_3344_5566_7788;
        f.X[6] = DataVa + 0xff7;                  // an ld there ends at 0xffe, still in the page
        f.Load(
            Sd(2, 1, 3),                          // bytes 3..10
            Ld(3, 1, 3),
            Lw(4, 1, 5),                          // bytes 5..8 = 66 55 44 33
            Lh(5, 1, 9),                          // bytes 9..10 = 22 11
            Sd(2, 6, 0),
            Ld(7, 6, 0),
            Ecall);
        f.RunToEcall();
        Assert.Equal(0x1122_3344_5566_7788UL, f.X[3]);
        Assert.Equal(0x3344_5566UL, f.X[4]);
        Assert.Equal(0x1122UL, f.X[5]);
        Assert.Equal(0x1122_3344_5566_7788UL, f.X[7]);
        Assert.Equal(0x1122_3344_5566_7788UL, f.Read64(f.Data, 3));
        Assert.Equal(0x1122_3344_5566_7788UL, f.Read64(f.Data, 0xff7));
    }

    [Fact]
    public void MisalignedAccesses_AcrossTwoMappedPages_Work()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = Data2Va + 0xffc;                 // straddles Data2 / Data3 (separate frames)
        f.X[2] = 0x1122_3344_5566_7788;
        f.Load(Sd(2, 1, 0), Ld(3, 1, 0), Lw(4, 1, 2), Lhu(5, 1, 3), Ecall);
        f.RunToEcall();
        Assert.Equal(0x1122_3344_5566_7788UL, f.X[3]);
        Assert.Equal(0x3344_5566UL, f.X[4]);      // bytes ffe, fff, 000, 001 = 66 55 44 33
        Assert.Equal(0x4455UL, f.X[5]);           // bytes fff, 000 = 55 44
        var a = f.FrameAt(Data2Va);
        var b = f.FrameAt(Data2Va + PageSize);
        Assert.Equal(new byte[] { 0x88, 0x77, 0x66, 0x55 }, a[0xffc..0x1000]);
        Assert.Equal(new byte[] { 0x44, 0x33, 0x22, 0x11 }, b[0..4]);
    }

    [Fact]
    public void Store_CrossingIntoUnmappedPage_StorePageFault()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = UnmappedVa - 4;
        f.X[2] = 0x1122_3344_5566_7788;
        f.Load(Addi(5, 0, 1), Sd(2, 1, 0), Addi(6, 0, 1), Ecall);
        var h = f.RunToTrap(TrapCause.StorePageFault);
        Assert.Equal(CodeVa + 4, f.State.Pc);       // on the sd
        Assert.Equal(UnmappedVa, h.TrapValue);      // first byte of the portion that faulted
        Assert.Equal(1UL, f.X[5]);
        Assert.Equal(0UL, f.X[6]);
        // Nothing was written to the mapped half.
        Assert.Equal(0u, f.Read32(f.Data, 0xffc));
    }

    [Fact]
    public void Store_CrossingIntoUnmappedPage_TrapValueIsInTheUnmappedPage()
    {
        // Weaker form of the test above, which holds whichever byte of the faulting portion is reported.
        var f = new CpuFixture(engine: engine);
        f.X[1] = UnmappedVa - 2;
        f.X[2] = ulong.MaxValue;
        f.Load(Sw(2, 1, 0), Ecall);
        var h = f.RunToTrap(TrapCause.StorePageFault);
        Assert.InRange(h.TrapValue, UnmappedVa, UnmappedVa + 1);
        Assert.Equal(CodeVa, f.State.Pc);
        Assert.Equal(0u, f.Read32(f.Data, 0xffc));
    }

    [Fact]
    public void Load_CrossingIntoUnmappedPage_LoadPageFault()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = UnmappedVa - 4;
        f.X[3] = 0x5555;
        f.Load(Addi(5, 0, 1), Ld(3, 1, 0), Addi(6, 0, 1), Ecall);
        var h = f.RunToTrap(TrapCause.LoadPageFault);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(UnmappedVa, h.TrapValue);
        Assert.Equal(0x5555UL, f.X[3]);             // destination untouched
        Assert.Equal(0UL, f.X[6]);
    }

    [Fact]
    public void Load_FromUnmappedPage_LoadPageFaultWithAddress()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = UnmappedVa;
        f.Load(Lbu(3, 1, 0x123), Ecall);
        var h = f.RunToTrap(TrapCause.LoadPageFault);
        Assert.Equal(UnmappedVa + 0x123, h.TrapValue);
        Assert.Equal(CodeVa, f.State.Pc);
    }

    [Fact]
    public void Store_ToReadOnlyPage_StorePageFault_AndMemoryUnchanged()
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.ReadOnly, 8, 0x0123_4567_89ab_cdef);
        f.X[1] = ReadOnlyVa;
        f.X[2] = 0xffff_ffff_ffff_ffff;
        f.Load(Ld(3, 1, 8), Sw(2, 1, 8), Ecall);
        var h = f.RunToTrap(TrapCause.StorePageFault);
        Assert.Equal(0x0123_4567_89ab_cdefUL, f.X[3]);   // loads from it work
        Assert.Equal(ReadOnlyVa + 8, h.TrapValue);
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(0x0123_4567_89ab_cdefUL, f.Read64(f.ReadOnly, 8));
    }

    [Fact]
    public void Store_ToCodePage_WithoutWritePermission_StorePageFault()
    {
        var f = new CpuFixture(engine: engine);
        f.X[1] = CodeVa;
        f.Load(Sw(0, 1, 0), Ecall);
        var h = f.RunToTrap(TrapCause.StorePageFault);
        Assert.Equal(CodeVa, h.TrapValue);
        Assert.Equal(Sw(0, 1, 0), f.Read32(f.Code, 0));
    }

    [Fact]
    public void Store_AfterTlbFilledByLoad_StillChecksWritePermission()
    {
        // The load fills the read TLB for the read-only page; the store must not ride on it.
        var f = new CpuFixture(engine: engine);
        f.X[1] = ReadOnlyVa;
        f.Load(Lw(3, 1, 0), Lw(3, 1, 4), Sb(3, 1, 1), Ecall);
        f.RunToTrap(TrapCause.StorePageFault);
        Assert.Equal(CodeVa + 8, f.State.Pc);
    }

    private sealed class MapOnDemand(CpuFixture f) : IMemoryFaultHandler
    {
        public List<(ulong Va, AccessType Access)> Calls { get; } = [];

        public bool TryResolve(Hart hart, ulong va, AccessType access)
        {
            Calls.Add((va, access));
            if ((va & ~0xfffUL) != UnmappedVa) return false;
            f.MapNew(UnmappedVa, PteFlags.R | PteFlags.W | PteFlags.U);
            return true;
        }
    }

    [Fact]
    public void FaultHandler_ResolvesAndTheAccessIsRetried()
    {
        var f = new CpuFixture(engine: engine);
        var handler = new MapOnDemand(f);
        f.Machine.FaultHandler = handler;
        f.X[1] = UnmappedVa - 4;
        f.X[2] = 0x1122_3344_5566_7788;
        f.Load(Sd(2, 1, 0), Ld(3, 1, 0), Ecall);
        f.RunToEcall();
        Assert.Equal(0x1122_3344_5566_7788UL, f.X[3]);
        Assert.Single(handler.Calls);
        Assert.Equal(AccessType.Write, handler.Calls[0].Access);
        Assert.Equal(0x5566_7788u, f.Read32(f.Data, 0xffc));
        Assert.Equal(0x1122_3344u, f.Read32(f.FrameAt(UnmappedVa), 0));
    }

    [Theory]
    [InlineData(0x8000_0000_0002_0000UL)]   // low 39 bits equal DataVa
    [InlineData(0x0000_0080_0002_0000UL)]   // bit 39 set, bit 38 clear
    [InlineData(0xffff_ff80_0002_0000UL)]   // bits 63..39 set, bit 38 clear
    public void NonCanonicalAddress_PageFaults_DoesNotAlias(ulong va)
    {
        var f = new CpuFixture(engine: engine);
        f.Write64(f.Data, 0, 0x1234);
        f.X[1] = DataVa;
        f.X[2] = va;
        f.Load(Ld(3, 1, 0), Ld(4, 2, 0), Ecall);   // warm the TLB for DataVa first
        var h = f.RunToTrap(TrapCause.LoadPageFault);
        Assert.Equal(va, h.TrapValue);
        Assert.Equal(0x1234UL, f.X[3]);

        var g = new CpuFixture(engine: engine);
        g.X[1] = DataVa;
        g.X[2] = va;
        g.Load(Sd(0, 1, 0), Sd(1, 2, 0), Ecall);
        var h2 = g.RunToTrap(TrapCause.StorePageFault);
        Assert.Equal(va, h2.TrapValue);
        Assert.Equal(0UL, g.Read64(g.Data, 0));
    }
}

public sealed class LoadStoreTestsOnInterpreter() : LoadStoreTests(EngineKind.Interpreter);

public sealed class LoadStoreTestsOnJit() : LoadStoreTests(EngineKind.Jit);
