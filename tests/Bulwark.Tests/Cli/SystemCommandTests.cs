using Bulwark.Tests.Corpora;
using Bulwark.Tests.Guests;
using static Bulwark.Tests.Cli.BadInputTests;

namespace Bulwark.Tests.Cli;

/// <summary>`bulwark system` through the real command line: verdicts, limits, and one clear line for
/// every bad input.</summary>
public sealed class SystemCommandTests
{
    private static string Isa(string name) => Path.Combine(Corpus.IsaDirectory, name);
    private static string LinuxGuest => Path.Combine(GuestCase.Directory, "hello.elf");

    [Fact]
    public void APassingIsaTestExitsZeroAndPrintsNothing()
    {
        var r = CliProcess.Run("system", Isa("rv64ui-p-addi"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void TheTimeLimitEndsARunWith124AndOneLine()
    {
        // A Linux guest's code never reaches the board (its segments are outside RAM), so use an ISA test
        // with a limit too small for it to finish: 200 ns of virtual time at one instruction per ns.
        var r = CliProcess.Run("system", "--max-time", "0.0000002", Isa("rv64ui-p-add"));
        Assert.Equal(124, r.ExitCode);
        Assert.Equal("bulwark: virtual time limit of 0.0000002 s reached (--max-time)", r.Stderr.Trim());
    }

    [Fact]
    public void IcountSlowsVirtualTimeDown()
    {
        // rv64ui-p-add retires about 500 instructions: it passes in 10 us of virtual time at 1 ns each,
        // but not at 2^5 = 32 ns each.
        Assert.Equal(0, CliProcess.Run("system", "--max-time", "0.00001", Isa("rv64ui-p-add")).ExitCode);
        Assert.Equal(124, CliProcess.Run("system", "--icount", "5", "--max-time", "0.00001", Isa("rv64ui-p-add")).ExitCode);
    }

    [Fact]
    public void StatsCountInstructionsAndTraps()
    {
        var r = CliProcess.Run("system", "--stats", Isa("rv64mi-p-illegal"));
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"instructions\s+[\d,]+", r.Stderr);
        Assert.Matches(@"exceptions taken\s+[1-9]", r.Stderr);
    }

    [Fact]
    public void MissingFile() => AssertRefused(CliProcess.Run("system", "/nonexistent/kernel.elf"), "/nonexistent/kernel.elf: no such file");

    [Fact]
    public void ADirectory() => AssertRefused(CliProcess.Run("system", Path.GetTempPath()), "is a directory");

    [Fact]
    public void NotRiscV() => AssertRefused(CliProcess.Run("system", Patched(b => { b[18] = 62; b[19] = 0; })), "not RISC-V");

    [Fact]
    public void SegmentsOutsideRam() => AssertRefused(CliProcess.Run("system", LinuxGuest), @"segment \d+ \[0x[0-9a-f]+, 0x[0-9a-f]+\) lies outside RAM \[0x80000000, 0x88000000\)");

    [Fact]
    public void OverlappingSegments() =>
        AssertRefused(CliProcess.Run("system", Isa("rv64ui-p-add"), Isa("rv64ui-p-sub")), "overlaps .*rv64ui-p-add segment");

    [Theory]
    [InlineData("--harts", "abc", "--harts 'abc' is not a whole number")]
    [InlineData("--harts", "9", "--harts '9' is not between 1 and 8")]
    [InlineData("--icount", "11", "--icount '11' is not a shift between 0 and 10")]
    [InlineData("--icount", "x", "--icount 'x' is not a whole number")]
    [InlineData("--max-time", "-1", "--max-time '-1' is not a positive number of seconds")]
    [InlineData("--max-time", "soon", "--max-time 'soon' is not a number")]
    [InlineData("--memory", "1K", "--memory '1K' is not a RAM size")]
    [InlineData("--memory", "lots", "--memory 'lots' is not a RAM size")]
    [InlineData("--seed", "-3", "--seed '-3' is not a whole number of 0 or more")]
    public void BadOptionValues(string option, string value, string message) =>
        AssertRefused(CliProcess.Run("system", option, value, Isa("rv64ui-p-add")), global::System.Text.RegularExpressions.Regex.Escape(message));

    [Fact]
    public void RecordAndReplayTogether() =>
        AssertRefused(CliProcess.Run("system", "--record", "a", "--replay", "b", Isa("rv64ui-p-add")), "--record and --replay cannot be used together");
}
