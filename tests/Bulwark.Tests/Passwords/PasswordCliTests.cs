using Bulwark.Tests.Cli;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Passwords;

/// <summary>`bulwark run --memory-protection ...` end to end: bad values get one error line; a run's
/// --stats show the protection's counters; a recorded schedule carries the protection.</summary>
public sealed class PasswordCliTests
{
    private static string Hello => Path.Combine(GuestCase.Directory, "hello.elf");

    [Theory]
    [InlineData(new[] { "--memory-protection", "bogus" }, "--memory-protection 'bogus' is not one of: none, statistical, password, password-table, fallback")]
    [InlineData(new[] { "--shared-address-bits", "99" }, "--shared-address-bits '99' is not between 14 and 36")]
    [InlineData(new[] { "--protect", "midas", "--memory-protection", "password" }, "--protect midas cannot be combined with a --memory-protection")]
    public void BadValues_OneErrorLine(string[] options, string message) =>
        BadInputTests.AssertRefused(CliProcess.Run(["run", .. options, Hello]), System.Text.RegularExpressions.Regex.Escape(message));

    [Fact]
    public void Stats_ShowFarAccessesFailedChecksAndDelaysPerUser()
    {
        var r = CliProcess.Run("run", "--memory-protection", "password", "--stats", Lab.Elf("injector"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("victim caught SIGSEGV si_code 0x51", r.Stdout);
        Assert.Matches(@"pwd: memory protection\s+password", r.Stderr);
        Assert.Matches(@"pwd: far accesses\s+\d+", r.Stderr);
        Assert.Matches(@"pwd: checks failed\s+1\b", r.Stderr);
        Assert.Matches(@"pwd: uid 2000 faults\s+1\b", r.Stderr);
        Assert.Matches(@"pwd: uid 2000 blamed\s+1\b", r.Stderr);
        Assert.Matches(@"pwd: uid 2000 delays imposed\s+1, 0\.010 ms", r.Stderr);
    }

    [Fact]
    public void ARecordedSchedule_ReplaysWithItsProtection()
    {
        string file = Path.Combine(Path.GetTempPath(), $"bulwark-pwd-{Guid.NewGuid():N}.schedule");
        var recorded = CliProcess.Run("run", "--memory-protection", "statistical", "--shared-address-bits", "16", "--seed", "3", "--record", file,
            Lab.Elf("prober"), "single", "100", "16");
        var replayed = CliProcess.Run("run", "--replay", file, Lab.Elf("prober"), "single", "100", "16");
        Assert.Contains("statistical", recorded.Stdout);
        Assert.Equal(recorded.Stdout, replayed.Stdout);
        Assert.Equal(recorded.ExitCode, replayed.ExitCode);
    }
}
