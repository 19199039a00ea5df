using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;

namespace Bulwark.Tests.Passwords;

/// <summary>A password register is the thread's: it survives context switches, a signal handler that
/// uses it, and fork. A rotation while a process holds a live grant is invisible to it in
/// password-table mode (the kernel refreshes the stale shadow and retries), and not in password mode.</summary>
public sealed class RegisterAndRotationTests
{
    [Theory]
    [InlineData(SharedProtectionMode.Password, 1)]
    [InlineData(SharedProtectionMode.Password, 2)]
    [InlineData(SharedProtectionMode.PasswordTable, 1)]
    [InlineData(SharedProtectionMode.PasswordTable, 2)]
    public void APasswordRegister_SurvivesContextSwitchesASignalAndFork(SharedProtectionMode mode, int harts)
    {
        var run = PasswordRun.Of(Lab.Elf("pwdregs"), [], mode, harts: harts);
        Assert.Equal(
            "after context switches: pr3 kept, far load through it works\n" +
            "after a signal handler that loaded pr3: handler ran yes, pr3 kept, far load works\n" +
            "in a forked child: pr3 inherited, far load works\n", run.Stdout);
        Assert.Equal(0, run.Status);
    }

    [Fact]
    public void ARotationWithALiveGrant_IsInvisibleInTableMode()
    {
        var run = Lab.Run("rotation", SharedProtectionMode.PasswordTable);
        Assert.Equal("reader: sum 44608256\nowner: expected sum 44608256\n", run.Stdout);
        Assert.Equal(1, run.Shared.Stats.Rotations);
        Assert.Equal(1, run.Shared.Stats.Refreshes);
        Assert.Equal(0, run.Shared.Stats.CheckSignals);
        Assert.Empty(run.Shared.Throttle.Users);
    }

    [Fact]
    public void ARotationWithALiveGrant_BreaksAHeldPasswordInPasswordMode()
    {
        var run = Lab.Run("rotation", SharedProtectionMode.Password);
        Assert.StartsWith("reader: SIGSEGV si_code 0x50 after the rotation\n", run.Stdout);
        Assert.Equal(0, run.Shared.Stats.Refreshes);
    }

    [Fact]
    public void ARevokedReader_WithItsRegisterStillLoaded_IsRefusedNotRefreshed()
    {
        var run = Lab.Run("rotation", SharedProtectionMode.PasswordTable, "self");
        Assert.StartsWith("reader: SIGSEGV si_code 0x52 after the rotation\n", run.Stdout);
        Assert.Equal(0, run.Shared.Stats.Refreshes);
        Assert.Equal(1, run.User(1000).Faults);
        Assert.Equal(0, run.User(1000).Blamed);
    }

    [Fact]
    public void TheTree_WalkedAcrossARotation_IsTheSameInTableMode()
    {
        var plain = Lab.Run("tree", SharedProtectionMode.PasswordTable, "300");
        var rotated = Lab.Run("tree", SharedProtectionMode.PasswordTable, "300", "rotate");
        Assert.Equal(plain.Stdout, rotated.Stdout);
        Assert.Equal(1, rotated.Shared.Stats.Rotations);
        Assert.Equal(0, rotated.FailedChecks);
    }

    [Fact]
    public void TheFallbacksPageIdMap_StaysConsistentAcrossMmapMunmapAndFork()
    {
        var run = Lab.Run("pageidmap", SharedProtectionMode.Fallback);
        Assert.True(run.Status == 0, run.Stdout + run.Stderr);
        Assert.DoesNotContain("MISMATCH", run.Stdout);
        Assert.Contains("MAP_FIXED into the shared part: refused", run.Stdout);
        Assert.Contains("mprotect of a segment: refused", run.Stdout);
        Assert.Contains("write to the page-id map: SIGSEGV", run.Stdout);
        Assert.EndsWith("page-id map consistent\n", run.Stdout);
        Assert.Equal(18, run.Stdout.Split('\n').Count(l => l.EndsWith(" ok")));
    }
}
