using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.S3k;

/// <summary>The course's own programs, built from the snapshot, on the C# kernel: the console must be what
/// the real kernel prints on qemu-system-riscv64 (tests/corpora/s3k-qemu, recorded with the oracle's run-qemu.sh),
/// byte for byte where the real kernel is deterministic, by properties where harts interleave.</summary>
public sealed class ProjectTests
{
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
        Assert.Equal(S3kOracle.Console(project), S3kOracle.Normalize(console));
    }

    /// <summary>The projects with a FAT disk on virtio-blk, on four harts: tutorial.09 (app0 mounts the file
    /// system, writes a file and reads it back) and the exercise (app0 is a monitor with a virtio driver and
    /// FatFs; app1 asks it over IPC to load app2.bin from the disk into app1's memory and boot it, up to
    /// "2> started"). The C# kernel must print what the real kernel printed on qemu, on several seeds (the
    /// disk's request latencies follow the seed).</summary>
    [Theory]
    [InlineData("tutorial.09.fs", 0UL)]
    [InlineData("tutorial.09.fs", 7UL)]
    [InlineData("exercise", 0UL)]
    [InlineData("exercise", 3UL)]
    [InlineData("exercise", 7UL)]
    public void DiskProjectsPrintWhatTheRealKernelPrints(string project, ulong seed)
    {
        var (console, result, system) = S3kRun.Project(project, 0.06, seed: seed);
        Assert.Equal(124, result.ExitStatus);
        Assert.Empty(system.Kernel.Faults);
        Assert.Equal(Trimmed(S3kOracle.Console(project)), Trimmed(S3kOracle.Normalize(console)));
        Assert.True(system.Board.Machine.Harts.Count == 4);
    }

    /// <summary>The exercise's app2 really comes from the disk: without it, app0 cannot open app2.bin and app2 never starts.</summary>
    [Fact]
    public void TheExercisesApp2ComesFromTheDisk()
    {
        string build = S3kRun.ProjectBuild("exercise");
        var elfs = new[] { "app0.elf", "app1.elf" }.Select(e => Path.Combine(build, e)).ToArray();
        var empty = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(empty, new byte[10 << 20]);
            var (console, _, _) = S3kRun.Run(S3kRun.ConfigFor("exercise"), elfs, 0.06, disk: Bulwark.Machine.Devices.Virtio.DiskImage.FromFile(empty));
            Assert.Contains("0> starting app", console);
            Assert.DoesNotContain("2> started", console);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    private static string Trimmed(string console) => console.TrimEnd('\n') + "\n";

    /// <summary>hello on four harts: app1 runs on hart 1 while app0 prints, so their characters interleave
    /// as the board's harts do; the kernel's lines are exact and each app's text arrives whole and in order.</summary>
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(7UL)]
    public void HelloInterleavesBothAppsWhole(ulong seed)
    {
        var (raw, _, system) = S3kRun.Project("hello", 0.05, seed: seed);
        string console = S3kOracle.Normalize(raw), expected = S3kOracle.Console("hello");
        string boot = S3kOracle.Boot(expected);
        Assert.Equal(boot, console[..boot.Length]);
        Assert.Empty(system.Kernel.Faults);
        const string app0 = "hello, world from app0\nbye from app0\n", app1 = "hello, world from app1\nbye from app1\n";
        Assert.True(S3kOracle.IsInterleaving(console[boot.Length..], app0, app1), $"not an interleaving of the two apps' output:\n{console[boot.Length..]}");
        Assert.True(S3kOracle.IsInterleaving(expected[boot.Length..], app0, app1));
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
}
