using System.Text.RegularExpressions;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Cli;

/// <summary>Each refusal gives one clear line naming the problem, a non-zero status, and no stack trace.</summary>
public sealed class BadInputTests
{
    private static string Hello => Path.Combine(GuestCase.Directory, "hello.elf");

    internal static string Patched(Action<byte[]> patch, int? truncateTo = null)
    {
        var bytes = File.ReadAllBytes(Hello);
        if (truncateTo is { } n) bytes = bytes[..n];
        patch(bytes);
        string path = Path.Combine(Path.GetTempPath(), $"bulwark-bad-{Guid.NewGuid():N}.elf");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    internal static void AssertRefused(CliProcess.Result r, string pattern)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("bulwark: error: ", lines[0]);
        Assert.Matches(pattern, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    /// <summary>A speed file's line naming a directory token it never defined, and one defining a token for a missing directory.</summary>
    [Theory]
    [InlineData("small compute_small.elf @NOPE@/x", "speed.txt:1: @NOPE@ is not defined")]
    [InlineData("@DATA@ = no-such-dir", "speed.txt:1: no-such-dir: no such directory")]
    public void BadSpeedFileLine(string line, string pattern)
    {
        string file = Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}-speed.txt");
        File.WriteAllText(file, line + "\n");
        try { AssertRefused(CliProcess.Run("bench", "--suite", "none", "--speed", file), pattern); }
        finally { File.Delete(file); }
    }

    [Fact]
    public void MissingFile() => AssertRefused(CliProcess.Run("run", "/nonexistent/prog.elf"), "/nonexistent/prog.elf: no such file");

    [Fact]
    public void NotAnElf()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bulwark-text-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "#!/bin/sh\necho hi\n");
        AssertRefused(CliProcess.Run("run", path), "not an ELF file");
    }

    [Fact]
    public void ThirtyTwoBitElf() => AssertRefused(CliProcess.Run("run", Patched(b => b[4] = 1)), "32-bit ELF");

    [Fact]
    public void OtherMachineIsNamed() =>
        AssertRefused(CliProcess.Run("run", Patched(b => { b[18] = 62; b[19] = 0; })), @"ELF for x86-64 \(EM_X86_64\).*not RISC-V");

    [Fact]
    public void DynamicallyLinked()
    {
        // Turn the first program header into PT_INTERP, as a dynamically linked executable has.
        string path = Patched(b =>
        {
            int phoff = BitConverter.ToInt32(b, 32);
            BitConverter.TryWriteBytes(b.AsSpan(phoff), 3u);
        });
        AssertRefused(CliProcess.Run("run", path), "dynamically linked.*build with -static");
    }

    [Fact]
    public void TruncatedHeader() => AssertRefused(CliProcess.Run("run", Patched(_ => { }, truncateTo: 40)), @"truncated ELF header \(40 bytes");

    [Fact]
    public void ProgramHeadersPastEnd() =>
        AssertRefused(CliProcess.Run("run", Patched(b => BitConverter.TryWriteBytes(b.AsSpan(32), 0x7fff_fff0L))), "program headers at offset .* run past the end");

    [Fact]
    public void SegmentPastEnd() =>
        AssertRefused(CliProcess.Run("run", Patched(_ => { }, truncateTo: 4096)), "segment data at .* runs past the end of the file");

    [Fact]
    public void BadMemorySizeIsRejected()
    {
        var r = CliProcess.Run("run", "--memory", "lots", Hello);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--memory 'lots' is not a size", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void OptionErrorsAreOneLineEachWithoutAHelpDump()
    {
        var r = CliProcess.Run("run", "--memory", "lots", "--harts", "0", Hello);
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("bulwark: error: ", l));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void AnUnknownOptionBeforeTheProgramIsNamed()
    {
        var r = CliProcess.Run("run", "--bogus", Hello);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown option '--bogus'", r.Stderr);
    }

    [Fact]
    public void UnknownSyscallIsEnosysAndStrictMakesItFatal()
    {
        string elf = Path.Combine(GuestCase.Directory, "enosys.elf");
        var lenient = CliProcess.Run("run", "--stats", elf);
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("returned -1 (Function not implemented)", lenient.Stdout);
        Assert.Matches(@"ENOSYS riscv_hwprobe\s+1", lenient.Stderr);

        var strict = CliProcess.Run("run", "--strict", elf);
        Assert.Equal(126, strict.ExitCode);
        Assert.Matches(@"^bulwark: unimplemented syscall 258 \(riscv_hwprobe\) at pc=0x[0-9a-f]+ \(--strict\)\n$", strict.Stderr);
        Assert.Equal("", strict.Stdout);
    }

    [Fact]
    public void GuestArgumentsThatLookLikeOptionsReachTheGuest()
    {
        var r = CliProcess.Run("run", "--seed", "3", Hello, "--seed", "-x");
        Assert.Equal(7, r.ExitCode);
        Assert.Contains("argv[1]=--seed\nargv[2]=-x\n", r.Stdout);
    }

    [Fact]
    public void InstructionLimitStopsTheRun()
    {
        var r = CliProcess.Run("run", "--max-instructions", "1000", Path.Combine(GuestCase.Directory, "compute_small.elf"));
        Assert.Equal(124, r.ExitCode);
        Assert.Contains("instruction limit reached (1000 instructions", r.Stderr);
    }

    [Fact]
    public void RecordThenReplayThroughTheCommandLine()
    {
        string schedule = Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}.schedule");
        string elf = Path.Combine(GuestCase.Directory, "pthreads.elf");
        var recorded = CliProcess.Run("run", "--seed", "5", "--record", schedule, "--stats", elf);
        var replayed = CliProcess.Run("run", "--replay", schedule, "--stats", elf);
        Assert.Equal(0, recorded.ExitCode);
        Assert.Equal(recorded.Stdout, replayed.Stdout);
        string Instructions(string stats) => System.Text.RegularExpressions.Regex.Match(stats, @"instructions\s+([\d,]+)").Groups[1].Value;
        Assert.NotEqual("", Instructions(recorded.Stderr));
        Assert.Equal(Instructions(recorded.Stderr), Instructions(replayed.Stderr));

        var mismatched = CliProcess.Run("run", "--replay", schedule, "--seed", "6", elf);
        Assert.Equal(2, mismatched.ExitCode);
        Assert.Contains("--seed 6 differs from the seed 5 recorded in", mismatched.Stderr);

        // The schedule names its program (file name and hash): another program is refused in one line.
        var other = CliProcess.Run("run", "--replay", schedule, Path.Combine(GuestCase.Directory, "atomics.elf"));
        AssertRefused(other, @"was recorded with pthreads\.elf sha256:[0-9a-f]{16}, not atomics\.elf sha256:[0-9a-f]{16}");

        File.WriteAllText(schedule, "not a schedule\n");
        var bad = CliProcess.Run("run", "--replay", schedule, elf);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not a Bulwark schedule", bad.Stderr);
    }
}

/// <summary>`bulwark explore` through the real command line: exit codes, the schedule file, the replay line.</summary>
public sealed partial class ExploreCommandTests
{
    private static string Exploit => Path.Combine(GuestCase.RepositoryPath("lab", "doublefetch"), "size_check_exploit.elf");

    public static TheoryData<string, string> LabExploits
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var elf in Directory.GetFiles(GuestCase.RepositoryPath("lab", "doublefetch"), "*_exploit.elf").Order(StringComparer.Ordinal))
                foreach (var strategy in new[] { "random", "pct" }) data.Add(Path.GetFileName(elf), strategy);
            return data;
        }
    }

    /// <summary>Every failure explore reports in the lab corpus, found in a process that ran many kernels
    /// before it, replays in a fresh process to the same status and the same violation line.</summary>
    [Theory]
    [MemberData(nameof(LabExploits))]
    public void EveryFailureFoundReplaysToTheSameFailure(string exploit, string strategy)
    {
        string elf = Path.Combine(GuestCase.RepositoryPath("lab", "doublefetch"), exploit);
        string schedule = Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}.schedule");
        var found = CliProcess.Run("explore", elf, "--budget", "50", "--strategy", strategy, "--seed", "100", "--output", schedule);
        Assert.Equal(1, found.ExitCode);
        Assert.Matches(@"schedules tried: \d+ of 50 \([\d.]+ schedules/s", found.Stdout);
        var outcome = FoundLine().Match(found.Stdout);
        Assert.True(outcome.Success, found.Stdout);
        var replayLine = found.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("bulwark run --replay")).Trim();
        Assert.EndsWith(" </dev/null", replayLine);
        var replayArgs = replayLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
        var replayed = CliProcess.Run(replayArgs);
        Assert.Equal(int.Parse(outcome.Groups["status"].Value), replayed.ExitCode);
        Assert.Equal(125, replayed.ExitCode);
        Assert.Equal(outcome.Groups["message"].Value, replayed.Stderr.Split('\n')[0]);
        Assert.DoesNotContain("warning", replayed.Stderr);
    }

    [GeneratedRegex(@"outcome: FOUND at schedule \d+ \(seed \d+\): exit (?<status>\d+): (?<message>[^\n]*)")]
    private static partial Regex FoundLine();

    [Fact]
    public void CleanUnderMidasExitsZero()
    {
        var clean = CliProcess.Run("explore", Exploit, "--budget", "30", "--protect", "midas", "--strategy", "pct");
        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("outcome: clean: no violation and no failing exit in 30 schedules (strategy pct, protect midas)", clean.Stdout);
    }

    [Fact]
    public void BadStrategyIsRefused()
    {
        var r = CliProcess.Run("explore", Exploit, "--strategy", "dfs");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--strategy 'dfs' is not one of: random, pct", r.Stderr);
    }
}

/// <summary>Every number option of every command: a value that is no number, and one out of range, each
/// get one `bulwark: error:` line naming the option and the value, status 2, and no stack trace.</summary>
public sealed class NumberOptionTests
{
    private static string Hello => Path.Combine(GuestCase.Directory, "hello.elf");

    public static TheoryData<string[], string> Cases => new()
    {
        { ["run", "--harts", "abc", Hello], "--harts 'abc' is not a whole number" },
        { ["run", "--harts", "0", Hello], "--harts '0' is not between 1 and 64" },
        { ["run", "--seed", "x", Hello], "--seed 'x' is not a whole number of 0 or more" },
        { ["run", "--max-instructions", "abc", Hello], "--max-instructions 'abc' is not a whole number" },
        { ["run", "--max-instructions", "0", Hello], "--max-instructions '0' is not a positive number of instructions" },
        { ["run", "--memory", "lots", Hello], "--memory 'lots' is not a size from 4M to 64G" },
        { ["explore", Hello, "--budget", "abc"], "--budget 'abc' is not a whole number" },
        { ["explore", Hello, "--budget", "0"], "--budget '0' is not a positive number of schedules" },
        { ["explore", Hello, "--depth", "11"], "--depth '11' is not between 1 and 10" },
        { ["explore", Hello, "--harts", "x"], "--harts 'x' is not a whole number" },
        { ["explore", Hello, "--seed", "-1"], "--seed '-1' is not a whole number of 0 or more" },
        { ["explore", Hello, "--max-instructions", "-5"], "--max-instructions '-5' is not a positive number of instructions" },
        { ["bench", "--runs", "abc"], "--runs 'abc' is not a whole number" },
        { ["bench", "--runs", "101"], "--runs '101' is not between 1 and 100" },
        { ["bench", "--warm-up", "0"], "--warm-up '0' is not between 1 and 100" },
        { ["bench", "--warm-up", "many"], "--warm-up 'many' is not a whole number" },
        { ["bench", "--speed", "/nonexistent/speed.txt"], "/nonexistent/speed.txt: no such file" },
        { ["bench", "--engine", "abc"], "--engine 'abc' is not one of: interpreter, jit" },
        { ["run", "--engine", "JIT", Hello], "--engine 'JIT' is not one of: interpreter, jit" },
        { ["explore", Hello, "--engine", ""], "--engine '' is not one of: interpreter, jit" },
        { ["system", "--engine", "fast", Hello], "--engine 'fast' is not one of: interpreter, jit" },
        { ["run", "--engine", "jit", "--jit-compile", "later", Hello], "--jit-compile 'later' is not one of: background, inline" },
        { ["run", "--engine", "interpreter", "--jit-compile", "inline", Hello], "--jit-compile needs --engine jit" },
        { ["explore", Hello, "--engine", "interpreter", "--jit-compile", "background"], "--jit-compile needs --engine jit" },
        { ["system", "--jit-compile", "inline", "--engine", "interpreter", Hello], "--jit-compile needs --engine jit" },
        { ["s3k", "--engine", "jit", "--jit-compile", "x", Hello], "--jit-compile 'x' is not one of: background, inline" },
        { ["eval", "--budget", "x"], "--budget 'x' is not a whole number" },
        { ["eval", "--runs", "0"], "--runs '0' is not between 1 and 100" },
        { ["eval", "--suite", "/nonexistent/suite.txt"], "/nonexistent/suite.txt: no such file" },
        { ["eval", "--skip-cost", "--suite", "x"], "--skip-cost and --suite cannot be used together" },
        { ["eval", "--out", "/dev/null"], "/dev/null: cannot create the report directory" },
        { ["eval", "--shard", "abc"], "--shard 'abc' is not I/N with 0 <= I < N" },
        { ["eval", "--shard", "4/4"], "--shard '4/4' is not I/N with 0 <= I < N" },
        { ["eval", "--shard", "-1/2"], "--shard '-1/2' is not I/N with 0 <= I < N" },
        { ["eval", "--shard", "1/0"], "--shard '1/0' is not I/N with 0 <= I < N" },
        { ["explore", Hello, "--shard", "1/0"], "--shard '1/0' is not I/N with 0 <= I < N" },
        { ["s3k", "--harts", "2", Hello], "--harts '2' is not 1 (qemu_virt) or 4 (qemu_virt4)" },
        { ["s3k", "--procs", "abc", Hello], "--procs 'abc' is not a whole number" },
        { ["s3k", "--slot-ticks", "x", Hello], "--slot-ticks 'x' is not a whole number of 0 or more" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsRefusedInOneLine(string[] args, string message)
    {
        var r = CliProcess.Run(args);
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("bulwark: error: " + message, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}

/// <summary>The rough edges a new user met: each gets one line, before any work is done.</summary>
public sealed class RoughEdgeTests
{
    private static string Hello => Path.Combine(GuestCase.Directory, "hello.elf");

    [Fact]
    public void RecordingIntoAMissingDirectoryIsRefusedBeforeTheRun()
    {
        var r = CliProcess.Run("run", "--record", "/nonexistent/dir/x.schedule", Hello);
        BadInputTests.AssertRefused(r, "--record /nonexistent/dir/x.schedule: directory /nonexistent/dir does not exist");
        var board = CliProcess.Run("system", "--record", "/nonexistent/dir/x.schedule", Hello);
        BadInputTests.AssertRefused(board, "--record /nonexistent/dir/x.schedule: directory /nonexistent/dir does not exist");
        var explore = CliProcess.Run("explore", Hello, "--output", "/nonexistent/dir/x.schedule");
        BadInputTests.AssertRefused(explore, "--output /nonexistent/dir/x.schedule: directory /nonexistent/dir does not exist");
    }

    [Fact]
    public void ADirectoryAsTheProgramIsCalledADirectory()
    {
        BadInputTests.AssertRefused(CliProcess.Run("run", GuestCase.Directory), "is a directory, not an ELF file");
        BadInputTests.AssertRefused(CliProcess.Run("explore", GuestCase.Directory), "is a directory, not an ELF file");
    }

    [Fact]
    public void TooMuchMemoryNamesTheRule() =>
        BadInputTests.AssertRefused(CliProcess.Run("run", "--memory", "512G", Hello), "--memory '512G' is not a size from 4M to 64G");

    [Fact]
    public void AnUnknownCommandIsOneLine() =>
        BadInputTests.AssertRefused(CliProcess.Run("frobnicate"), "Unrecognized command or argument 'frobnicate'");

    [Fact]
    public void NoArgumentsPrintsTheHelp()
    {
        var r = CliProcess.Run();
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.Stdout);
        Assert.Contains("system <elf>", r.Stdout);
    }
}
