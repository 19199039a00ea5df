using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;

namespace Bulwark.Tests.Passwords;

/// <summary>Brute-force throttling follows the user, not the process: a prober that forks short-lived
/// probers is slowed down as much as a single one, by orders of magnitude against no throttling.</summary>
public sealed class ThrottlingTests
{
    private static double ProbesPerVirtualSecond(PasswordRun run)
    {
        var m = Regex.Match(run.Stdout, @"attack failed: (\d+) probes, no success \([^,]+, ([0-9.]+) virtual s");
        Assert.True(m.Success, run.Stdout + run.Stderr);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    private static PasswordRun Forking(SharedProtectionMode mode, bool throttling) =>
        PasswordRun.Of(Lab.Elf("prober"), ["fork", "20", "5"], mode, throttling: throttling);

    [Theory]
    [InlineData(SharedProtectionMode.Password)]
    [InlineData(SharedProtectionMode.PasswordTable)]
    [InlineData(SharedProtectionMode.Fallback)]
    public void TheForkingProber_IsSlowedByOrdersOfMagnitude(SharedProtectionMode mode)
    {
        var free = Forking(mode, throttling: false);
        var throttled = Forking(mode, throttling: true);
        double freeRate = ProbesPerVirtualSecond(free), throttledRate = ProbesPerVirtualSecond(throttled);
        Assert.True(throttledRate * 100 < freeRate, $"throttled {throttledRate:F0}/s vs free {freeRate:F0}/s");
        // All 100 probes of the 20 processes were counted against the one user, and only it waited.
        Assert.Equal(100, throttled.User(2000).Faults);
        Assert.Equal(100, throttled.User(2000).Delays);
        Assert.Equal(0, throttled.User(1000).Faults);
        Assert.Equal(100, free.User(2000).Faults);
        Assert.Equal(0UL, free.User(2000).DelayNs);
        Assert.Equal(0, throttled.User(2000).Blamed);
        // The fallback's failed checks are the guest library's, reported to the kernel.
        Assert.Equal(mode == SharedProtectionMode.Fallback ? 100 : 0, throttled.Shared.Stats.LibraryChecksFailed);
    }

    [Fact]
    public void ThrottlingFollowsTheUser_ForkingDoesNotEscapeIt()
    {
        var forking = Forking(SharedProtectionMode.Password, throttling: true);
        var single = PasswordRun.Of(Lab.Elf("prober"), ["single", "100"], SharedProtectionMode.Password);
        double forkingRate = ProbesPerVirtualSecond(forking), singleRate = ProbesPerVirtualSecond(single);
        // Fresh processes start no cleaner: the forking prober is no faster than a single one (within 2x).
        Assert.True(forkingRate < 2 * singleRate, $"forking {forkingRate:F0}/s vs single {singleRate:F0}/s");
    }

    [Fact]
    public void TheDelay_GrowsWithTheUsersRecentRate_AndDecays()
    {
        var throttle = new BruteForceThrottle(enabled: true);
        ulong first = throttle.Fault(7, 0);
        ulong second = throttle.Fault(7, 1_000);
        Assert.Equal(BruteForceThrottle.BaseDelayNs, first);
        Assert.True(second > 3 * first, $"{second} after {first}");
        // Long after, the score has decayed: the next fault costs about a first one again.
        ulong later = throttle.Fault(7, 10 * BruteForceThrottle.HalfLifeNs);
        Assert.InRange(later, BruteForceThrottle.BaseDelayNs, BruteForceThrottle.BaseDelayNs * 11 / 10);
        // Another user is untouched.
        Assert.Equal(BruteForceThrottle.BaseDelayNs, throttle.Fault(8, 1_000));
    }
}
