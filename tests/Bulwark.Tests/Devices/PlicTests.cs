using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Devices;
using Bulwark.Machine.Devices.Plic;

namespace Bulwark.Tests.Devices;

/// <summary>The PLIC through the bus at QEMU's address, with two harts (contexts 0 and 2 are their M
/// modes, 1 and 3 their S modes).</summary>
public sealed class PlicTests
{
    private const ulong Base = SifivePlic.VirtBase;
    private static ulong Priority(int irq) => Base + SifivePlic.PriorityOffset + 4 * (ulong)irq;
    private static ulong Pending(int word) => Base + SifivePlic.PendingOffset + 4 * (ulong)word;
    private static ulong Enable(int context, int word = 0) => Base + SifivePlic.EnableOffset + SifivePlic.EnableStride * (ulong)context + 4 * (ulong)word;
    private static ulong Threshold(int context) => Base + SifivePlic.ContextOffset + SifivePlic.ContextStride * (ulong)context;
    private static ulong ClaimComplete(int context) => Threshold(context) + 4;

    private readonly DeviceFixture _f = new(harts: 2);
    private readonly SifivePlic _plic;

    public PlicTests()
    {
        _plic = new SifivePlic(_f.Machine);
        _f.Machine.Bus.Map(Base, _plic);
    }

    private uint Load(ulong address) => (uint)_f.Load(address, 4);
    private void Store(ulong address, uint value) => _f.Store(address, value, 4);
    private bool Meip(int hart) => _f.Line(hart, InterruptBits.MachineExternal);
    private uint Claim(int context) => Load(ClaimComplete(context));
    private void Complete(int context, uint irq) => Store(ClaimComplete(context), irq);

    /// <summary>Gives the sources priorities and enables them for <paramref name="context"/>.</summary>
    private void Arm(int context, params (int Irq, uint Priority)[] sources)
    {
        foreach (var (irq, priority) in sources)
        {
            Store(Priority(irq), priority);
            Store(Enable(context, irq / 32), Load(Enable(context, irq / 32)) | (1u << (irq % 32)));
        }
    }

    [Fact]
    public void Claim_ReturnsTheHighestPriority_TiesToTheLowestId_AndClearsItsPendingBit()
    {
        Arm(0, (5, 2), (40, 6), (9, 6), (70, 1));
        foreach (int irq in new[] { 5, 40, 9, 70 }) _plic.Source(irq).Set(true);
        Assert.True(Meip(0));
        Assert.Equal((1u << 5) | (1u << 9), Load(Pending(0)));
        Assert.Equal(1u << 8, Load(Pending(1)));
        Assert.Equal(1u << 6, Load(Pending(2)));

        Assert.Equal(9u, Claim(0));
        Assert.Equal(1u << 5, Load(Pending(0)));
        Assert.Equal(40u, Claim(0));
        Assert.Equal(0u, Load(Pending(1)));
        Assert.Equal(5u, Claim(0));
        Assert.True(Meip(0));
        Assert.Equal(70u, Claim(0));
        Assert.False(Meip(0));
        Assert.Equal(0u, Claim(0));                   // nothing left
        Assert.False(Meip(1));                        // hart 1 enabled nothing
    }

    [Fact]
    public void Threshold_PassesOnlyPrioritiesAboveIt_AndPriorityZeroNeverInterrupts()
    {
        Arm(0, (3, 4), (4, 0));
        _plic.Source(3).Set(true);
        _plic.Source(4).Set(true);
        Store(Threshold(0), 4);
        Assert.False(Meip(0));
        Assert.Equal(0u, Claim(0));
        Store(Threshold(0), 3);
        Assert.True(Meip(0));
        Store(Threshold(0), 0);
        Assert.Equal(3u, Claim(0));
        Assert.False(Meip(0));                        // source 4 is pending but has priority 0
        Assert.Equal(0u, Claim(0));
        Assert.Equal(1u << 4, Load(Pending(0)));
    }

    [Fact]
    public void PrioritiesAndThresholds_KeepThreeBits()
    {
        Store(Priority(1), 0xf);
        Assert.Equal(7u, Load(Priority(1)));
        Store(Threshold(3), 0x9);
        Assert.Equal(1u, Load(Threshold(3)));
    }

    [Fact]
    public void EachContextHasItsOwnEnables_AndHartsGetOnlyTheirMachineContextsInterrupts()
    {
        Arm(2, (7, 1));                               // hart 1, M mode
        Arm(1, (8, 1));                               // hart 0, S mode: drives nothing
        _plic.Source(7).Set(true);
        _plic.Source(8).Set(true);
        Assert.True(Meip(1));
        Assert.False(Meip(0));
        Assert.Equal(0u, Claim(0));                   // neither is enabled for hart 0's M mode
        Assert.Equal(0u, Claim(3));
        Assert.Equal(8u, Claim(1));                   // S-mode registers still work
        Assert.Equal(7u, Claim(2));
        Assert.False(Meip(1));
        Assert.Equal(1u << 7, Load(Enable(2)));
        Assert.Equal(1u << 8, Load(Enable(1)));
        Assert.Equal(0u, Load(Enable(0)) | Load(Enable(3)));
    }

    [Fact]
    public void ClaimedSource_IsNotPendingAgainUntilCompleted_ThenALineStillHighRetriggers()
    {
        Arm(0, (10, 1));
        IInterruptLine line = _plic.Source(10);
        line.Set(true);
        Assert.Equal(10u, Claim(0));
        Assert.False(Meip(0));
        line.Set(false);
        line.Set(true);                               // a new request while in service waits
        Assert.Equal(0u, Load(Pending(0)));
        Assert.Equal(0u, Claim(0));
        Assert.False(Meip(0));

        Complete(0, 10);
        Assert.True(Meip(0));
        Assert.Equal(1u << 10, Load(Pending(0)));
        Assert.Equal(10u, Claim(0));

        line.Set(false);                              // the device is satisfied before completion
        Complete(0, 10);
        Assert.False(Meip(0));
        Assert.Equal(0u, Load(Pending(0)));
    }

    [Fact]
    public void ALineThatDrops_ClearsThePendingBit()
    {
        Arm(0, (12, 1));
        _plic.Source(12).Set(true);
        Assert.True(Meip(0));
        _plic.Source(12).Set(false);
        Assert.False(Meip(0));
        Assert.Equal(0u, Load(Pending(0)));
        Assert.Equal(0u, Claim(0));
    }

    [Fact]
    public void DisablingOrRaisingTheThreshold_LowersMeipWithoutAClaim()
    {
        Arm(0, (2, 5));
        _plic.Source(2).Set(true);
        Assert.True(Meip(0));
        Store(Enable(0), 0);
        Assert.False(Meip(0));
        Store(Enable(0), 1u << 2);
        Assert.True(Meip(0));
        Store(Threshold(0), 7);
        Assert.False(Meip(0));
    }

    [Fact]
    public void SourceZeroDoesNotExist()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _plic.Source(0));
        Store(Priority(0), 7);
        Assert.Equal(0u, Load(Priority(0)));
        Store(Enable(0), 0xffff_ffff);
        Assert.Equal(0xffff_fffeu, Load(Enable(0)));
        Assert.Equal(0u, Claim(0));
        Complete(0, 0);                               // ignored
        Assert.False(Meip(0));
    }

    [Fact]
    public void SourcesPast95_DoNotExist_TheirRegistersReadZero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _plic.Source(96));
        Assert.Throws<ArgumentOutOfRangeException>(() => _plic.Source(-1));
        _plic.Source(95).Set(true);
        Store(Priority(96), 7);
        Assert.Equal(0u, Load(Priority(96)));
        Store(Enable(0, 3), 0xffff_ffff);
        Assert.Equal(0u, Load(Enable(0, 3)));
        Assert.Equal(0u, Load(Pending(3)));
        Assert.Equal(1u << 31, Load(Pending(2)));     // source 95 is the last bit of word 2
        Arm(0, (95, 1));
        Complete(0, 96);                              // ignored
        Assert.Equal(95u, Claim(0));
    }

    [Fact]
    public void PendingBits_AreReadOnly()
    {
        Store(Pending(0), 0xffff_fffe);
        Assert.Equal(0u, Load(Pending(0)));
        Arm(0, (6, 1));
        Assert.Equal(0u, Claim(0));
    }

    [Fact]
    public void OnlyAlignedThirtyTwoBitAccesses_AndTheWindowIsQemusWholeAperture()
    {
        Assert.True(_f.Faults(Priority(1), 8));
        Assert.True(_f.Faults(Priority(1), 1));
        Assert.True(_f.StoreFaults(Priority(1) + 2, 4, 7));
        Assert.Equal(0x60_0000UL, _plic.Size);
        Assert.Equal(0u, Load(Threshold(4)));         // a context past this machine's: reads 0
        Assert.Equal(0u, Load(Base + _plic.Size - 4));
    }

    [Fact]
    public void Counters_CountClaimsAndRaisedInterrupts()
    {
        Arm(0, (1, 1), (2, 1));
        _plic.Source(1).Set(true);
        _plic.Source(2).Set(true);                    // MEIP already high: one interrupt
        Claim(0);
        Claim(0);
        Claim(0);                                     // nothing: not a claim
        Complete(0, 1);                               // line 1 still high: MEIP rises again
        var counters = _plic.Counters.ToDictionary(c => c.Name, c => c.Value);
        Assert.Equal(2, counters["claims"]);
        Assert.Equal(2, counters["interrupts"]);
    }
}
