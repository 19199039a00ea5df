using System.Text.RegularExpressions;

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
    [InlineData("hello", 0UL)]
    [InlineData("hello", 7UL)]
    [InlineData("trapped", 0UL)]
    [InlineData("tutorial.01.hello-world", 0UL)]
    [InlineData("tutorial.02.trap-handler", 0UL)]
    [InlineData("tutorial.02.trap-handler", 7UL)]
    [InlineData("tutorial.03.mem-cap", 0UL)]
    [InlineData("tutorial.03.mem-cap", 7UL)]
    [InlineData("tutorial.09.fs", 0UL)]
    [InlineData("exercise", 0UL)]
    [InlineData("exercise", 7UL)]
    public void PrintsExactlyWhatTheRealKernelPrintsOnQemu(string name, ulong seed)
    {
        var project = new S3kProject(name);
        var run = project.RunOnBoard(0.06, seed);
        Assert.Equal(124, run.Result.ExitStatus);
        Assert.Equal(Trimmed(project.QemuLines), Trimmed(run.Lines));
    }

    /// <summary>The exercise under the modern virtio-mmio interface: the course's driver speaks only the
    /// legacy one and must fail to start the disk, as it would on QEMU with force-legacy off.</summary>
    [Fact]
    public void TheExercisesLegacyDriverRefusesAModernDevice()
    {
        var run = new S3kProject("exercise").RunOnBoard(0.06, virtioVersion: 2);
        Assert.DoesNotContain("Disk Initialization completed", run.Console);
        Assert.DoesNotContain("2> started", run.Console);
    }

    private static void KernelBootsAsOnQemu(S3kProject project, S3kProject.Run run)
    {
        var boot = project.QemuLines.TakeWhile(l => l.StartsWith('#')).ToArray();
        Assert.Contains("# starting boot process", boot);
        Assert.Equal(boot, run.Lines.Take(boot.Length));
    }

    [Fact]
    public void PingPongAlternates()
    {
        var project = new S3kProject("ping-pong");
        var run = project.RunOnBoard(0.05);
        KernelBootsAsOnQemu(project, run);
        var lines = run.Lines.Where(l => !l.StartsWith('#') && l.Length > 0).ToArray();
        Assert.Equal(["starting app0", "starting app1"], lines[..2]);
        var exchange = lines[2..];
        Assert.True(exchange.Length >= 10, $"only {exchange.Length} lines of ping and pong");
        for (int i = 0; i < exchange.Length; i++) Assert.Equal(i % 2 == 0 ? "ping" : "pong", exchange[i]);
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
        var answers = run.Lines.Select(l => Regex.Match(l, pattern)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        Assert.True(answers.Length >= 3, $"{answers.Length} answers in 0.1 s");
        Assert.Equal(Enumerable.Range(first, answers.Length), answers);
    }

    [GeneratedRegex(@"^ping (\d+)$")]
    private static partial Regex PingLine();
}
