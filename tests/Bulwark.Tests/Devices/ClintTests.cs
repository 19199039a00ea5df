using Bulwark.Machine;
using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Devices.Clint;

namespace Bulwark.Tests.Devices;

/// <summary>The CLINT through the bus at QEMU's address: msip, mtimecmp and mtime, and MTIP raised at the
/// exact virtual time mtime reaches mtimecmp.</summary>
public sealed class ClintTests
{
    private const ulong Base = SifiveClint.VirtBase;
    private const ulong Mtime = Base + SifiveClint.MtimeOffset;
    private static ulong Msip(int hart) => Base + SifiveClint.MsipOffset + 4 * (ulong)hart;
    private static ulong Mtimecmp(int hart) => Base + SifiveClint.MtimecmpOffset + 8 * (ulong)hart;

    private readonly DeviceFixture _f = new(harts: 2);
    private readonly SifiveClint _clint;

    public ClintTests()
    {
        _clint = new SifiveClint(_f.Machine);
        _f.Machine.Bus.Map(Base, _clint);
    }

    private VirtualClock Clock => _f.Machine.Clock;
    private ulong Load(ulong address, int size = 8) => _f.Load(address, size);
    private void Store(ulong address, ulong value, int size = 8) => _f.Store(address, value, size);
    private void RunTo(ulong ns) => _f.RunTo(ns);
    private bool Mtip(int hart) => _f.Line(hart, InterruptBits.MachineTimer);
    private bool SoftwareLine(int hart) => _f.Line(hart, InterruptBits.MachineSoftware);

    [Fact]
    public void Mtime_CountsTheClockAt10MHz()
    {
        Assert.Equal(0UL, Load(Mtime));
        RunTo(12_345);
        Assert.Equal(123UL, Load(Mtime));
        Assert.Equal(123UL, _clint.Mtime);
    }

    [Fact]
    public void Mtimecmp_ResetsToAllOnes_SoNoTimerInterruptEverComes()
    {
        Assert.Equal(ulong.MaxValue, Load(Mtimecmp(0)));
        Assert.Equal(ulong.MaxValue, Load(Mtimecmp(1)));
        Assert.False(Clock.TryPeekNextEvent(out _));
        RunTo(1_000_000_000_000);
        Assert.False(Mtip(0) || Mtip(1));
    }

    [Fact]
    public void TimerInterrupt_IsRaisedAtTheExactTickMtimeReachesMtimecmp_OnThatHartOnly()
    {
        RunTo(550);                                  // tick 5
        Store(Mtimecmp(1), 1000);
        Assert.True(Clock.TryPeekNextEvent(out ulong at));
        Assert.Equal(100_000UL, at);                 // tick 1000 starts at 100 µs
        RunTo(99_999);
        Assert.Equal(999UL, Load(Mtime));
        Assert.False(Mtip(1));
        RunTo(100_000);
        Assert.True(Mtip(1));
        Assert.False(Mtip(0));
        Assert.Equal(1000UL, Load(Mtime));
    }

    [Fact]
    public void MtimecmpAtOrBelowMtime_RaisesAtOnce_AndWritingItAboveLowersIt()
    {
        RunTo(10_000);                               // mtime 100
        Store(Mtimecmp(0), 100);
        Assert.True(Mtip(0));
        Store(Mtimecmp(0), 101);
        Assert.False(Mtip(0));
        RunTo(10_100);
        Assert.True(Mtip(0));
        Store(Mtimecmp(0), ulong.MaxValue);
        Assert.False(Mtip(0));
    }

    [Fact]
    public void EventsLeftByEarlierWrites_DoNothing()
    {
        Store(Mtimecmp(0), 1000);
        Store(Mtimecmp(0), 5000);                    // later: the event for 1000 is stale
        RunTo(100_000);
        Assert.False(Mtip(0));
        RunTo(499_999);
        Assert.False(Mtip(0));
        RunTo(500_000);
        Assert.True(Mtip(0));

        Store(Mtimecmp(0), 9000);
        Store(Mtimecmp(0), 6000);                    // earlier than the one scheduled
        RunTo(600_000);
        Assert.True(Mtip(0));
        Store(Mtimecmp(0), ulong.MaxValue);
        RunTo(900_000);                              // the event for 9000 fires into nothing
        Assert.False(Mtip(0));
    }

    [Fact]
    public void RewritingMtimecmpInALoop_DoesNotPileUpEvents()
    {
        for (ulong i = 0; i < 10_000; i++) Store(Mtimecmp(0), 1000 + i);
        int fired = 0;
        for (ulong ns = 0; ns <= 2_000_000; ns += 1000)
        {
            Clock.AdvanceTo(ns);
            fired += Clock.FireDueEvents();
        }
        Assert.True(Mtip(0));
        Assert.True(fired <= 2, $"{fired} events fired");
    }

    [Fact]
    public void WritingMtime_SetsWhatItReads_AndItGoesOnCounting()
    {
        RunTo(1_000);                                // tick 10
        Store(Mtime, 5000);
        Assert.Equal(5000UL, Load(Mtime));
        RunTo(1_100);
        Assert.Equal(5001UL, Load(Mtime));

        Store(Mtimecmp(0), 5100);                    // 99 ticks from now
        Assert.True(Clock.TryPeekNextEvent(out ulong at));
        Assert.Equal(11_000UL, at);
        RunTo(10_999);
        Assert.False(Mtip(0));
        RunTo(11_000);
        Assert.True(Mtip(0));
    }

    [Fact]
    public void WritingMtime_ReevaluatesEveryHartsTimer()
    {
        Store(Mtimecmp(0), 1000);
        Store(Mtimecmp(1), 3000);
        Store(Mtime, 2000);
        Assert.True(Mtip(0));
        Assert.False(Mtip(1));
        Store(Mtime, 0);                             // back in time: hart 0's interrupt goes away
        Assert.False(Mtip(0));
        RunTo(100_000);
        Assert.True(Mtip(0));
        Assert.False(Mtip(1));
    }

    [Fact]
    public void HalvesOfMtimecmpAndMtime_WorkAsThirtyTwoBitRegisters()
    {
        Store(Mtimecmp(0), 0x1234, size: 4);
        Assert.Equal(0xffff_ffff_0000_1234UL, Load(Mtimecmp(0)));
        Store(Mtimecmp(0) + 4, 0, size: 4);
        Assert.Equal(0x1234UL, Load(Mtimecmp(0)));
        Assert.Equal(0UL, Load(Mtimecmp(0) + 4, size: 4));
        Assert.Equal(0x1234UL, Load(Mtimecmp(0), size: 4));
        RunTo(0x1234 * 100);
        Assert.True(Mtip(0));

        Store(Mtime + 4, 7, size: 4);                // only the high half changes
        Assert.Equal((7UL << 32) | 0x1234, Load(Mtime));
        Assert.Equal(7UL, Load(Mtime + 4, size: 4));
        Store(Mtime, 0x10, size: 4);
        Assert.Equal((7UL << 32) | 0x10, Load(Mtime));
    }

    [Fact]
    public void Msip_Bit0DrivesThatHartsSoftwareInterrupt_OtherBitsReadZero()
    {
        Store(Msip(1), 0xffff_ffff, size: 4);
        Assert.True(SoftwareLine(1));
        Assert.False(SoftwareLine(0));
        Assert.Equal(1UL, Load(Msip(1), size: 4));
        Assert.Equal(0UL, Load(Msip(0), size: 4));
        Store(Msip(1), 2, size: 4);
        Assert.False(SoftwareLine(1));
        Assert.Equal(0UL, Load(Msip(1), size: 4));
    }

    [Fact]
    public void AccessesQemuRefuses_Fault()
    {
        Assert.True(_f.Faults(Msip(0), 8));           // the MSWI takes 32-bit accesses only
        Assert.True(_f.StoreFaults(Msip(0), 1, 1));
        Assert.False(SoftwareLine(0));
        Assert.True(_f.Faults(Mtime, 2));
        Assert.True(_f.Faults(Mtimecmp(0) + 4, 8));   // misaligned
        Assert.True(_f.Faults(Base + 0xc000, 4));     // past QEMU's MTIMER
        Assert.Equal(0UL, Load(Mtimecmp(2)));         // no third hart: reads 0
        Assert.Equal(0UL, Load(Msip(2), size: 4));
    }

    [Fact]
    public void Counters_CountRaisedInterrupts()
    {
        Store(Mtimecmp(0), 10);
        RunTo(1_000);
        Store(Mtimecmp(0), ulong.MaxValue);
        Store(Mtimecmp(0), 0);
        Store(Msip(0), 1, size: 4);
        Store(Msip(0), 1, size: 4);                  // already high: not another interrupt
        var counters = _clint.Counters.ToDictionary(c => c.Name, c => c.Value);
        Assert.Equal(2, counters["timer interrupts"]);
        Assert.Equal(1, counters["software interrupts"]);
    }
}
