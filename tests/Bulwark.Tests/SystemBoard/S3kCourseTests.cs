using System.Text.RegularExpressions;
using Bulwark.Machine.Cpu;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.SystemBoard;

/// <summary>The real s3k kernel and its course's programs (built from the shared snapshot) on the system
/// board, against what the same binaries printed on qemu-system-riscv64 (tests/corpora/s3k-qemu). Projects
/// whose output the real kernel fixes print the same bytes, on every seed; the ones whose output depends
/// on timing are checked by what they must show: the kernel's boot lines, the programs' deterministic
/// start, and requests answered in order.</summary>
public sealed partial class S3kCourseTests
{
    private static string[] Trimmed(IEnumerable<string> lines) => lines.Reverse().SkipWhile(l => l.Length == 0).Reverse().ToArray();

    [Theory]
    [InlineData("trapped", 0UL)]
    [InlineData("tutorial.01.hello-world", 0UL)]
    [InlineData("tutorial.02.trap-handler", 0UL)]
    [InlineData("tutorial.02.trap-handler", 7UL)]
    [InlineData("tutorial.03.mem-cap", 0UL)]
    [InlineData("tutorial.03.mem-cap", 7UL)]
    [InlineData("tutorial.09.fs", 0UL)]
    [InlineData("tutorial.09.fs", 7UL)]
    [InlineData("exercise", 0UL)]
    [InlineData("exercise", 7UL)]
    public void PrintsExactlyWhatTheRealKernelPrintsOnQemu(string name, ulong seed)
    {
        foreach (var engine in Guests.Engines.All)
        {
            var project = new S3kProject(name);
            var run = project.RunOnBoard(0.06, seed, engine: engine);
            Assert.Equal(124, run.Result.ExitStatus);
            Assert.Equal(Trimmed(project.QemuLines), Trimmed(run.Lines));
        }
    }

    /// <summary>The block engine on the board (M and U mode, PMP, timer interrupts, the UART and the
    /// virtio disk): the same run, to the instruction, as the interpreter's on the same seed.</summary>
    [Theory]
    [InlineData("tutorial.09.fs", 3UL)]
    [InlineData("exercise", 5UL)]
    public void BothEnginesMakeTheSameBoardRun(string name, ulong seed)
    {
        var project = new S3kProject(name);
        var interpreted = project.RunOnBoard(0.06, seed, engine: EngineKind.Interpreter);
        var compiled = project.RunOnBoard(0.06, seed, engine: EngineKind.Jit);
        Assert.Equal(interpreted.Console, compiled.Console);
        Assert.Equal(interpreted.Result.ExitStatus, compiled.Result.ExitStatus);
        Assert.Equal(interpreted.Board.Machine.Harts.Select(h => h.InstructionsRetired), compiled.Board.Machine.Harts.Select(h => h.InstructionsRetired));
        Assert.True(((Bulwark.Machine.Cpu.Jit.BlockEngine)compiled.Board.Machine.Engine).Stats.BlocksCompiled > 0);
    }

    /// <summary>hello starts app1 on hart 1 while app0 prints on hart 0: on qemu their lines usually come out
    /// one after the other and sometimes interleaved (seen in the recordings). On the board both apps' text
    /// must arrive whole and in order, interleaved or not, after the kernel's exact boot lines.</summary>
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(7UL)]
    public void HelloPrintsBothAppsWhole(ulong seed)
    {
        var run = new S3kProject("hello").RunOnBoard(0.02, seed);
        string console = S3kOracle.Normalize(run.Console), boot = S3kOracle.Boot(S3kOracle.Console("hello"));
        Assert.Equal(boot, console[..boot.Length]);
        Assert.True(S3kOracle.IsInterleaving(console[boot.Length..], "hello, world from app0\nbye from app0\n", "hello, world from app1\nbye from app1\n"),
            console[boot.Length..]);
    }

    /// <summary>The exercise under the modern virtio-mmio interface: the course's driver speaks only the
    /// legacy one, says it cannot find the disk (then carries on regardless, as its code does), and never
    /// loads app2, as it would on QEMU with force-legacy off.</summary>
    [Fact]
    public void TheExercisesLegacyDriverRefusesAModernDevice()
    {
        var run = new S3kProject("exercise").RunOnBoard(0.06, virtioVersion: 2);
        Assert.Contains("could not find virtio disk", run.Console);
        Assert.DoesNotContain("File opened", run.Console);
        Assert.DoesNotContain("2> started", run.Console);
    }

    private static void KernelBootsAsOnQemu(S3kProject project, S3kProject.Run run)
    {
        var boot = project.QemuLines.TakeWhile(l => l.StartsWith('#')).ToArray();
        Assert.Contains("# starting boot process", boot);
        Assert.Equal(boot, run.Lines.Take(boot.Length));
    }

    [Fact]
    public void PingPongAlternatesBetweenTimeouts()
    {
        var project = new S3kProject("ping-pong");
        var run = project.RunOnBoard(0.05);
        KernelBootsAsOnQemu(project, run);
        string console = S3kOracle.Normalize(run.Console);
        string apps = console[S3kOracle.Boot(console).Length..];
        Assert.StartsWith("starting app0\nstarting app1\n", apps);
        // The real kernel's app1 says "timeout" when a call's donated time runs out first, possibly in the
        // middle of app0's line (qemu prints it too, at other moments); without those, pings and pongs alternate.
        var exchange = apps["starting app0\nstarting app1\n".Length..].Replace("timeout\n", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exchange.Length >= 10, $"only {exchange.Length} lines of ping and pong");
        int wrong = -1;
        for (int i = 0; i < exchange.Length && wrong < 0; i++) if (exchange[i] != (i % 2 == 0 ? "ping" : "pong")) wrong = i;
        Assert.True(wrong < 0, $"line {wrong} of the exchange: {string.Join("|", exchange[Math.Max(0, wrong - 5)..Math.Min(exchange.Length, wrong + 5)])}");
    }

    [Fact]
    public void TimingCapabilitiesStartAsOnQemuThenLoop()
    {
        var project = new S3kProject("tutorial.04.timing-cap");
        var run = project.RunOnBoard(0.01);
        KernelBootsAsOnQemu(project, run);
        var start = project.QemuLines.SkipWhile(l => l.StartsWith('#')).TakeWhile(l => l != "0").ToArray();
        Assert.Contains("hello, world from app0", start);
        var ours = run.Lines.SkipWhile(l => l.StartsWith('#')).ToArray();
        Assert.Equal(start, ours.Take(start.Length));
        Assert.True(ours.Skip(start.Length).Count(l => l == "0") >= 100);
    }

    [Theory]
    [InlineData("tutorial.05.rpc")]
    [InlineData("tutorial.07.msg-noyield")]
    public void EveryPingIsAnsweredInOrder(string name)
    {
        var project = new S3kProject(name);
        var run = project.RunOnBoard(0.1);
        KernelBootsAsOnQemu(project, run);
        var pings = run.Lines.Select(l => PingLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        Assert.True(pings.Length >= 3, $"{pings.Length} pings in 0.1 s");
        Assert.Equal(Enumerable.Range(0, pings.Length), pings);
        Assert.True(run.Lines.Count(l => l == "pong") >= pings.Length - 1);
    }

    [Theory]
    [InlineData("tutorial.06.rpc-resume", @"^APP0: pong (\d+)$", 0)]
    [InlineData("tutorial.08.rpc-mem-cap", @"^APP0: received (\d+)$", 1)]
    public void RequestsAreServedInOrder(string name, string pattern, int first)
    {
        var project = new S3kProject(name);
        var run = project.RunOnBoard(0.1);
        KernelBootsAsOnQemu(project, run);
        // Only the first thousand: the apps print their counters into small buffers.
        var answers = run.Lines.Select(l => Regex.Match(l, pattern)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).Take(1000).ToArray();
        Assert.True(answers.Length >= 3, $"{answers.Length} answers in 0.1 s");
        Assert.Equal(Enumerable.Range(first, answers.Length), answers);
    }

    [GeneratedRegex(@"^ping (\d+)$")]
    private static partial Regex PingLine();
}
