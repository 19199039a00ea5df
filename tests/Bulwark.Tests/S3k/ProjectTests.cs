namespace Bulwark.Tests.S3k;

/// <summary>The course's own programs, built from the snapshot, on the C# kernel: the console must be what
/// the real kernel prints on qemu-system-riscv64 (S3k/Expected/, recorded with the oracle's run-qemu.sh),
/// byte for byte where the real kernel is deterministic, by properties where harts interleave.</summary>
public sealed class ProjectTests
{
    private static string Expected(string project) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "S3k", "Expected", project + ".txt"));

    [Theory]
    [InlineData("trapped")]
    [InlineData("tutorial.01.hello-world")]
    [InlineData("tutorial.02.trap-handler")]
    [InlineData("tutorial.03.mem-cap")]
    public void PrintsWhatTheRealKernelPrints(string project)
    {
        var (console, result, system) = S3kRun.Project(project, 0.05);
        Assert.Equal(124, result.ExitStatus);
        Assert.Empty(system.Kernel.Faults);
        Assert.Equal(Expected(project), console);
    }

    /// <summary>hello on four harts: app1 runs on hart 1 while app0 prints, so their characters interleave
    /// as the board's harts do; the kernel's lines are exact and each app's text arrives whole and in order.</summary>
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(7UL)]
    public void HelloInterleavesBothAppsWhole(ulong seed)
    {
        var (console, _, system) = S3kRun.Project("hello", 0.05, seed: seed);
        string expected = Expected("hello");
        const string boot = "# starting boot process\n";
        int kernelEnd = expected.IndexOf(boot) + boot.Length;
        Assert.Equal(expected[..kernelEnd], console[..kernelEnd]);
        Assert.Empty(system.Kernel.Faults);
        string app0 = "hello, world from app0\r\nbye from app0\r\n", app1 = "hello, world from app1\r\nbye from app1\r\n";
        Assert.True(IsInterleaving(console[kernelEnd..], app0, app1), $"not an interleaving of the two apps' output:\n{console[kernelEnd..]}");
        Assert.True(IsInterleaving(expected[kernelEnd..], app0, app1));
    }

    /// <summary>ping-pong (one hart, YIELD calls whose time runs out): the real kernel prints "timeout" when a
    /// call's donated time ends first, so the lines are pings, pongs and timeouts, with messages going both ways.</summary>
    [Fact]
    public void PingPongExchangesMessages()
    {
        var (console, _, system) = S3kRun.Project("ping-pong", 0.03);
        Assert.Empty(system.Kernel.Faults);
        var lines = console[(console.IndexOf("# starting boot process\n") + 24)..].Split("\r\n");
        Assert.Equal(["starting app0", "starting app1"], lines[..2]);
        var rest = lines[2..^1];
        Assert.All(rest, l => Assert.Contains(l, new[] { "ping", "pong", "timeout" }));
        Assert.True(rest.Count(l => l == "ping") >= 5 && rest.Count(l => l == "pong") >= 5, string.Join("|", rest));
        Assert.True(system.Kernel.Trace.IpcMessages >= 10);
    }

    [Fact]
    public void TheSameSeedRunsTheSame()
    {
        var first = S3kRun.Project("hello", 0.02, seed: 3).Console;
        Assert.Equal(first, S3kRun.Project("hello", 0.02, seed: 3).Console);
    }

    private static bool IsInterleaving(string s, string a, string b)
    {
        if (s.Length != a.Length + b.Length) return false;
        var can = new bool[a.Length + 1, b.Length + 1];
        can[0, 0] = true;
        for (int i = 0; i <= a.Length; i++)
            for (int j = 0; j <= b.Length; j++)
            {
                if (i > 0 && can[i - 1, j] && a[i - 1] == s[i + j - 1]) can[i, j] = true;
                if (j > 0 && can[i, j - 1] && b[j - 1] == s[i + j - 1]) can[i, j] = true;
            }
        return can[a.Length, b.Length];
    }
}
