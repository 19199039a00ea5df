using Bulwark.Kernel.Protections.Passwords;

namespace Bulwark.Tests.Passwords;

/// <summary>Each attack succeeds exactly where the design says it must (statistical against a prober
/// with enough time, password against a leaked password, none against everything) and fails elsewhere,
/// with the documented si_code; blame goes where the seed says.</summary>
public sealed class AttackTests
{
    private const SharedProtectionMode None = SharedProtectionMode.None, Statistical = SharedProtectionMode.Statistical,
        Password = SharedProtectionMode.Password, Table = SharedProtectionMode.PasswordTable, Fallback = SharedProtectionMode.Fallback;

    public static TheoryData<string, SharedProtectionMode, bool> Expectations => new()
    {
        { "prober", None, true }, { "prober", Statistical, true }, { "prober", Password, false }, { "prober", Table, false }, { "prober", Fallback, false },
        { "injector", None, true }, { "injector", Statistical, true }, { "injector", Password, false }, { "injector", Table, false }, { "injector", Fallback, false },
        { "replay", None, true }, { "replay", Statistical, false }, { "replay", Password, false }, { "replay", Table, false }, { "replay", Fallback, false },
        { "leak", None, true }, { "leak", Statistical, true }, { "leak", Password, true }, { "leak", Table, false }, { "leak", Fallback, false },
    };

    private static Bulwark.Lab.Passwords.PasswordRun Attack(string name, SharedProtectionMode mode) => name == "prober"
        // 2^16 bytes of address entropy: 16 pages, of which the segment's two aliases hold 2.
        ? Bulwark.Lab.Passwords.PasswordRun.Of(Lab.Elf(name), ["single", "150", "16"], mode, addressBits: 16)
        : Lab.Run(name, mode);

    [Theory]
    [MemberData(nameof(Expectations))]
    public void TheAttack_SucceedsExactlyWhereTheDesignSays(string attack, SharedProtectionMode mode, bool succeeds)
    {
        var run = Attack(attack, mode);
        Assert.True(run.Status == 0, run.Stdout + run.Stderr);
        Assert.True(run.AttackSucceeded != run.AttackFailed, run.Stdout);
        Assert.True(succeeds == run.AttackSucceeded, $"{attack} under {mode}: {run.Stdout}");
    }

    [Theory]
    [InlineData(Password)]
    [InlineData(Table)]
    [InlineData(Fallback)]
    public void APlantedPointer_IsABadPointerSignalAtThePointer_AndTheReadOnlyVictimIsNotBlamed(SharedProtectionMode mode)
    {
        var run = Lab.Run("injector", mode);
        Assert.Contains("victim caught SIGSEGV si_code 0x51 si_addr = the injected pointer", run.Stdout);
        Assert.Equal(0, run.User(3000).Faults);
        // The password unit tags each word with its far store's user: the injector is named.
        if (mode != Fallback)
        {
            Assert.Equal(1, run.User(2000).Faults);
            Assert.Equal(1, run.User(2000).Blamed);
            Assert.True(run.User(2000).DelayNs > 0);
        }
        // Without it, two users (owner and injector) could have written the page: nobody is named.
        else Assert.Equal(0, run.User(2000).Faults + run.User(1000).Faults);
    }

    [Theory]
    [InlineData(Statistical, "SIGSEGV si_code 0x1")]
    [InlineData(Password, "SIGSEGV si_code 0x50")]
    [InlineData(Table, "SIGSEGV si_code 0x50")]
    [InlineData(Fallback, "SIGSEGV si_code 0x50")]
    public void AReplayedFarPointer_FailsWithItsCode_AndPwdGetIsRefused(SharedProtectionMode mode, string verdict)
    {
        var run = Lab.Run("replay", mode);
        Assert.Contains("reader: before revocation read the secret", run.Stdout);
        Assert.Contains("reader: pwd_get after revocation refused", run.Stdout);
        Assert.Contains("attack failed: " + verdict, run.Stdout);
        Assert.Equal(1, run.User(2000).Faults);
        Assert.Equal(0, run.User(2000).Blamed);
        // Revoking a reader moves the aliases or rotates the read password; the fallback unmaps.
        Assert.Equal(mode == Fallback ? 0 : 1, run.Shared.Stats.Rotations);
    }

    [Fact]
    public void StatisticalProtection_FallsToTheProber_AndOnlyTheProbersUserPays()
    {
        var run = Attack("prober", Statistical);
        Assert.Matches(@"ATTACK SUCCEEDED after \d+ probes", run.Stdout);
        var user = run.User(2000);
        Assert.True(user.Faults >= 1 || run.Stdout.Contains("after 1 probes"));
        Assert.Equal(0, run.User(1000).Faults);
        // Each miss is a fault in the shared part, not a failed check, and the prober's own.
        Assert.Equal(user.Faults, run.Shared.Stats.SharedFaults);
        Assert.Equal(0, run.Shared.Stats.CheckSignals);
        Assert.Equal(0, user.Blamed);
    }

    [Fact]
    public void PasswordModes_CountEveryFailedGuess()
    {
        var run = Attack("prober", Password);
        Assert.Contains("attack failed: 150 probes", run.Stdout);
        Assert.Equal(150, run.User(2000).Faults);
        Assert.Equal(150, run.Shared.Far!.ChecksFailed);
        Assert.Equal(150, run.Shared.Stats.CheckSignals);
        Assert.Equal(0, run.User(2000).Blamed);   // its own faults, nobody else's pointer
    }
}
