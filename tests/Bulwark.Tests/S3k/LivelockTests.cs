using System.Diagnostics;
using System.Text;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.S3k;

/// <summary>The suspend/resume livelock of the reference note (§1.5), reached by tests/s3k-programs/livelock:
/// a server that lives on its clients' YIELD time is suspended and resumed while it waits in recv; every
/// send of its client then finds the stale receiver (ERR_NO_RECEIVER). The real kernel shows it on the
/// system board and on qemu-system-riscv64; the C# kernel shows the same by default and gets through with
/// --fix-ipc-livelock.</summary>
public sealed class LivelockTests
{
    private static readonly S3kProgram Program = new("livelock");
    private const string Livelocked = "== livelock: every send found the stale receiver (ERR_NO_RECEIVER) ==\n";
    private const string Progress = "== progress: the server received the message ==\n";

    private static void AssertLivelocked(string console)
    {
        console = console.Replace("\r", "");
        Assert.Contains("s3k_mon_resume(MONITOR, 1) = SUCCESS\nstate of pid 1: SUCCESS 0x0\n", console);
        for (int attempt = 2; attempt <= 21; attempt++) Assert.Contains($"\nsend {attempt} = ERR_NO_RECEIVER\n", console);
        Assert.EndsWith(Livelocked, console);
    }

    [Fact]
    public void TheRealKernelLivelocksOnTheBoard() => AssertLivelocked(Program.RunRealKernel(0.6).Console);

    [Theory]
    [InlineData(0UL)]
    [InlineData(7UL)]
    public void TheCSharpKernelLivelocksTheSameByDefault(ulong seed)
    {
        string real = Program.RunRealKernel(0.6, seed).Console;
        var (mine, _, system) = Program.RunCSharpKernel(0.6, seed);
        AssertLivelocked(mine);
        S3kProgram.AssertSameLines(real, mine);
        Assert.Null(system.Kernel.LivelockFix);
    }

    [Fact]
    public void WithTheFixTheClientGetsThrough()
    {
        var (console, _, system) = Program.RunCSharpKernel(0.6, config: S3kProgram.Config with { FixIpcLivelock = true });
        console = console.Replace("\r", "");
        Assert.Contains("s3k_mon_resume(MONITOR, 1) = SUCCESS\nstate of pid 1: SUCCESS 0x2\n", console);
        Assert.Contains("srv1: received SUCCESS tag=1 data=2,2,0,0 cap=0x0 NONE\nsend 2 = SUCCESS\n", console);
        Assert.DoesNotContain("ERR_NO_RECEIVER", console);
        Assert.EndsWith(Progress, console);
        Assert.Equal(1, system.Kernel.LivelockFix!.Restored);
    }

    /// <summary>The same binaries on qemu-system-riscv64 (installed by the corpus build), run as the oracle's
    /// run-qemu.sh runs the course's one-hart projects (-icount 3): the same bytes as on the board.</summary>
    [Fact]
    public void TheRealKernelLivelocksOnQemuAsOnTheBoard()
    {
        string qemu = RunQemu([S3kProgram.KernelElf, .. Program.Apps], Livelocked, TimeSpan.FromSeconds(60));
        AssertLivelocked(qemu);
        Assert.Equal(Program.RunRealKernel(0.6).Console.Replace("\r", ""), qemu);
    }

    /// <summary>qemu-system-riscv64 -M virt with the ELFs loaded, until the console ends with <paramref name="last"/>.</summary>
    public static string RunQemu(IReadOnlyList<string> elfs, string last, TimeSpan limit)
    {
        var info = new ProcessStartInfo("qemu-system-riscv64")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "-M", "virt", "-smp", "1", "-m", "128M", "-nographic", "-bios", "none", "-icount", "3" }) info.ArgumentList.Add(a);
        foreach (var elf in elfs)
        {
            info.ArgumentList.Add("-device");
            info.ArgumentList.Add("loader,file=" + elf);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("qemu-system-riscv64 did not start");
        var output = new StringBuilder();
        var buffer = new char[4096];
        var watch = Stopwatch.StartNew();
        var stdout = process.StandardOutput;
        try
        {
            while (watch.Elapsed < limit && !output.ToString().Replace("\r", "").EndsWith(last, StringComparison.Ordinal))
            {
                var read = stdout.ReadAsync(buffer, 0, buffer.Length);
                if (!read.Wait(limit - watch.Elapsed) || read.Result == 0) break;
                output.Append(buffer, 0, read.Result);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return output.ToString().Replace("\r", "");
    }
}
