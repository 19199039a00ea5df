using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;

namespace Bulwark.Tests.Passwords;

/// <summary>The kernel side's rules driven directly: the throttle's score and delays, the shared part's
/// layout (which addresses are reserved, the page-id map, the canonical section's slots), the kinds a
/// pwd_get asks for, and how far apart segments and aliases must be.</summary>
public sealed class SharedPartRulesTests
{
    [Fact]
    public void TheThrottle_CountsDelaysAndCapsThem()
    {
        var throttle = new BruteForceThrottle(enabled: true);
        ulong total = 0;
        for (int i = 0; i < 400; i++) total += throttle.Fault(7, 5_000);
        var user = throttle.User(7);
        Assert.Equal(400, user.Faults);
        Assert.Equal(400, user.Delays);
        Assert.Equal(total, user.DelayNs);
        Assert.Equal(0, user.Blamed);
        // 400 faults at once: score 400, 10 µs · 400² = 1.6 s, capped at 1 s.
        Assert.Equal(BruteForceThrottle.MaxDelayNs, throttle.Fault(7, 5_000));
        Assert.Equal(401.0, throttle.ScoreOf(7, 5_000), 6);
        throttle.Fault(7, 5_000, blamed: true);
        Assert.Equal(1, user.Blamed);
    }

    [Fact]
    public void TheThrottle_DecaysWithTheTimeSinceTheLastFault_NotWithTheClock()
    {
        var throttle = new BruteForceThrottle(enabled: true);
        ulong late = 50 * BruteForceThrottle.HalfLifeNs;
        throttle.Fault(7, late);
        Assert.Equal(1.0, throttle.ScoreOf(7, late), 6);
        Assert.Equal(0.5, throttle.ScoreOf(7, late + BruteForceThrottle.HalfLifeNs), 6);
        // A second fault right after the first, late in the run, still finds the first one's score.
        Assert.Equal(4 * BruteForceThrottle.BaseDelayNs, throttle.Fault(7, late));
        Assert.Equal(0.0, throttle.ScoreOf(8, late));
    }

    [Fact]
    public void TheThrottle_Disabled_CountsButNeverDelays()
    {
        var throttle = new BruteForceThrottle(enabled: false);
        Assert.Equal(0UL, throttle.Fault(7, 0));
        Assert.Equal(0UL, throttle.Fault(7, 1));
        Assert.Equal(2, throttle.User(7).Faults);
        Assert.Equal(0, throttle.User(7).Delays);
        Assert.Equal(2.0, throttle.ScoreOf(7, 1), 6);
    }

    [Fact]
    public void TheLayout_ReservesExactlyTheSharedPartTheSectionAndTheMap()
    {
        Assert.True(SharedLayout.InShared(SharedLayout.SharedBase));
        Assert.True(SharedLayout.InShared(SharedLayout.SharedEnd - 1));
        Assert.False(SharedLayout.InShared(SharedLayout.SharedEnd));
        Assert.False(SharedLayout.InShared(SharedLayout.SharedBase - 1));
        Assert.True(SharedLayout.InReserved(SharedLayout.ReservedStart));
        Assert.True(SharedLayout.InReserved(SharedLayout.ReservedEnd - 1));
        Assert.False(SharedLayout.InReserved(SharedLayout.ReservedEnd));
        Assert.False(SharedLayout.InReserved(SharedLayout.ReservedStart - 1));
        Assert.False(SharedLayout.InReserved(0));
        Assert.True(SharedLayout.InPageIdMap(SharedLayout.PageIdMapBase));
        Assert.True(SharedLayout.InPageIdMap(SharedLayout.PageIdMapEnd - 1));
        Assert.False(SharedLayout.InPageIdMap(SharedLayout.PageIdMapEnd));
        Assert.False(SharedLayout.InPageIdMap(SharedLayout.PageIdMapBase - 1));
        Assert.False(SharedLayout.InPageIdMap(0));
    }

    [Fact]
    public void EverySlot_DecodesToItsSegmentAndKind_AndNothingElseIsASlot()
    {
        var seen = new HashSet<ulong>();
        foreach (int segment in new[] { 0, 1, 2, 77, 1000 })
            foreach (var kind in new[] { PasswordKind.Read, PasswordKind.ReadWrite, PasswordKind.Execute })
            {
                ulong slot = SharedLayout.SlotAddress(segment, kind);
                Assert.True(seen.Add(slot));
                Assert.True(SharedLayout.TryDecodeSlot(slot, out int s, out var k));
                Assert.Equal((segment, kind), (s, k));
            }
        // The fourth slot of each segment is unused; unaligned addresses and ones outside the section are no slots.
        Assert.False(SharedLayout.TryDecodeSlot(SharedLayout.SectionBase + 3 * SharedLayout.SlotSize, out _, out _));
        Assert.False(SharedLayout.TryDecodeSlot(SharedLayout.SlotAddress(1, PasswordKind.Read) + 8, out _, out _));
        Assert.False(SharedLayout.TryDecodeSlot(SharedLayout.SectionEnd, out _, out _));
        Assert.False(SharedLayout.TryDecodeSlot(SharedLayout.SectionBase - SharedLayout.SlotSize, out _, out _));
        Assert.True(SharedLayout.TryDecodeSlot(SharedLayout.SectionEnd - 2 * SharedLayout.SlotSize, out _, out _));
    }

    [Theory]
    [InlineData(Rights.Read, true, PasswordKind.Read)]
    [InlineData(Rights.Write, true, PasswordKind.ReadWrite)]
    [InlineData(Rights.Read | Rights.Write, true, PasswordKind.ReadWrite)]
    [InlineData(Rights.Execute, true, PasswordKind.Execute)]
    [InlineData(Rights.Read | Rights.Execute, true, PasswordKind.Read)]
    [InlineData(Rights.None, false, PasswordKind.Execute)]
    [InlineData((Rights)8, false, PasswordKind.Execute)]
    [InlineData(Rights.Read | (Rights)8, false, PasswordKind.Read)]
    public void PwdGet_AsksForTheKindItsRightsName(Rights rights, bool valid, PasswordKind kind)
    {
        Assert.Equal(valid, rights.TryKind(out var k));
        Assert.Equal(kind, k);
        if (valid) Assert.Equal(kind == PasswordKind.Execute ? Rights.Execute : Rights.Read, k.Allows() & (Rights.Read | Rights.Execute));
    }

    [Fact]
    public void Segments_KeepAGuardPageFromEveryAddressOfAnother()
    {
        const ulong Page = 4096, At = 0x20_0010_0000UL;
        var s = new Segment(1, 1, 1000, 2, Rights.All, null!) { Base = At };
        Assert.False(s.Overlaps(At - 2 * Page, At - Page, Page));       // ends a guard page before
        Assert.True(s.Overlaps(At - 2 * Page, At - Page + 1, Page));
        Assert.True(s.Overlaps(At + Page, At + 2 * Page, Page));         // inside
        Assert.True(s.Overlaps(At + 3 * Page - 1, At + 4 * Page, Page)); // in its guard page
        Assert.False(s.Overlaps(At + 3 * Page, At + 4 * Page, Page));    // after its guard page
        // Unplaced aliases (0) are nowhere.
        Assert.False(s.Overlaps(0, Page, Page));
        s.ReadOnlyAlias = At + 16 * Page;
        Assert.True(s.Overlaps(At + 17 * Page, At + 18 * Page, Page));
        Assert.False(s.Overlaps(At + 19 * Page, At + 20 * Page, Page));
    }

    [Fact]
    public void TheSharedPartsAddressBits_AreFourteenToThirtySix()
    {
        var run = PasswordRun.Of(Lab.Elf("tree"), ["20"], SharedProtectionMode.Statistical, addressBits: SharedLayout.MinAddressBits);
        Assert.Equal(0, run.Status);
        Assert.Equal(SharedLayout.MinAddressBits, run.Shared.AddressBits);
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordRun.Of(Lab.Elf("tree"), ["20"], SharedProtectionMode.Statistical, addressBits: SharedLayout.MinAddressBits - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordRun.Of(Lab.Elf("tree"), ["20"], SharedProtectionMode.Statistical, addressBits: SharedLayout.MaxAddressBits + 1));
    }
}
