using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Cli;

/// <summary>`bulwark run --gdb PORT` with Debian's gdb-multiarch in batch mode: breakpoints, registers,
/// memory, single steps, write watchpoints and threads work, and attaching changes nothing: the output,
/// the instruction count and the schedule are those of the same run without gdb, also on a replay.</summary>
public sealed class GdbTests
{
    private static string Guest(string name) => Path.Combine(GuestCase.Directory, name + ".elf");

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs bulwark with --gdb and gdb-multiarch with <paramref name="commands"/> against it.</summary>
    private static (CliProcess.Result Bulwark, string Gdb) Debug(string elf, string[] bulwarkOptions, string[] commands, string[]? guestArgs = null, string command = "run")
    {
        Assert.True(File.Exists("/usr/bin/gdb-multiarch"), "gdb-multiarch is needed (apt-get install gdb-multiarch; .ci/run installs it)");
        int port = FreePort();
        var run = Task.Run(() => CliProcess.Run([command, "--gdb", port.ToString(), .. bulwarkOptions, elf, .. guestArgs ?? []]));
        var info = new ProcessStartInfo("gdb-multiarch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-batch", "-nx", "-ex", "set pagination off", "-ex", $"target remote 127.0.0.1:{port}" }) info.ArgumentList.Add(a);
        foreach (var c in commands)
        {
            info.ArgumentList.Add("-ex");
            info.ArgumentList.Add(c);
        }
        info.ArgumentList.Add(elf);
        // bulwark listens before gdb connects: retry the connection for a few seconds.
        string gdbOut = "";
        for (int attempt = 0; attempt < 40; attempt++)
        {
            using var gdb = Process.Start(info)!;
            var stdout = gdb.StandardOutput.ReadToEndAsync();
            var stderr = gdb.StandardError.ReadToEndAsync();
            Assert.True(gdb.WaitForExit(120_000), "gdb did not finish");
            gdbOut = stdout.Result + stderr.Result;
            if (!gdbOut.Contains("Connection refused")) break;
            Thread.Sleep(250);
        }
        Assert.True(run.Wait(120_000), "bulwark did not finish");
        return (run.Result, gdbOut);
    }

    [Fact]
    public void BreakpointRegistersStepAndExit()
    {
        var (bulwark, gdb) = Debug(Guest("hello"), [],
            ["break main", "continue", "info registers pc", "p/x $sp", "x/4xb $pc", "stepi", "info registers pc", "continue"], ["one", "two"]);
        var alone = CliProcess.Run("run", Guest("hello"), "one", "two");
        Assert.Matches(@"Breakpoint 1, 0x[0-9a-f]+ in main \(\)", gdb);
        Assert.Matches(@"pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <main\+\d+>", gdb);
        Assert.Matches(@"\$1 = 0x3ffff[0-9a-f]{5}\b", gdb);
        Assert.Matches(@"0x[0-9a-f]+ <main\+\d+>:\s+0x[0-9a-f]{2}\s+0x[0-9a-f]{2}", gdb);
        Assert.Contains("exited with code 07", gdb);
        Assert.Equal(7, bulwark.ExitCode);
        Assert.Equal(alone.Stdout, bulwark.Stdout);
    }

    private static string Instructions(string stats) => Regex.Match(stats, @"instructions\s+([\d,]+)").Groups[1].Value;

    [Fact]
    public void ThreadsAndAWatchpointAndTheScheduleIsUnchanged()
    {
        string recordedAlone = Path.GetTempFileName(), recordedDebugged = Path.GetTempFileName();
        var alone = CliProcess.Run("run", "--seed", "3", "--stats", "--record", recordedAlone, Guest("pthreads"));
        var (bulwark, gdb) = Debug(Guest("pthreads"), ["--seed", "3", "--stats", "--record", recordedDebugged],
            ["break counter_worker", "continue", "info threads", "delete", "watch *(long *)&counter", "continue", "continue", "delete", "continue"]);
        Assert.Matches(@"Thread \d+ hit Breakpoint 1, 0x[0-9a-f]+ in counter_worker", gdb);
        Assert.Matches(@"\* \d+\s+Thread \d+\s+0x[0-9a-f]+ in counter_worker", gdb);
        Assert.Matches(@"Old value = 0\s+New value = 1", gdb);
        Assert.Matches(@"Old value = 1\s+New value = 2", gdb);
        Assert.Contains("exited normally", gdb);
        Assert.Equal(alone.Stdout, bulwark.Stdout);
        Assert.Equal(Instructions(alone.Stderr), Instructions(bulwark.Stderr));
        Assert.Equal(File.ReadAllText(recordedAlone), File.ReadAllText(recordedDebugged));

        // And on a replay of that schedule.
        var (replayed, replayGdb) = Debug(Guest("pthreads"), ["--replay", recordedAlone, "--stats"], ["break counter_worker", "continue", "delete", "continue"]);
        Assert.Contains("exited normally", replayGdb);
        Assert.Equal(alone.Stdout, replayed.Stdout);
        Assert.Equal(Instructions(alone.Stderr), Instructions(replayed.Stderr));
        Assert.DoesNotContain("warning", replayed.Stderr);
    }

    /// <summary>On the system board gdb sees the harts as threads and physical memory: an ISA test stopped in
    /// its third test case shows the test number in gp and steps into the next.</summary>
    [Fact]
    public void TheSystemBoardToo()
    {
        string isa = Path.Combine(Bulwark.Tests.Corpora.Corpus.IsaDirectory, "rv64ui-p-add");
        var (bulwark, gdb) = Debug(isa, ["--max-time", "1"], ["break test_3", "continue", "info registers gp", "stepi", "stepi", "info registers a1", "continue"], command: "system");
        Assert.Matches(@"Breakpoint 1, 0x0*8000[0-9a-f]{4} in test_3", gdb);
        Assert.Matches(@"gp\s+0x3\s", gdb);
        Assert.Matches(@"a1\s+0x1\s", gdb);
        Assert.Contains("exited normally", gdb);
        Assert.Equal(0, bulwark.ExitCode);
    }

    [Fact]
    public void KillEndsTheRun()
    {
        var (bulwark, gdb) = Debug(Guest("hello"), [], ["break main", "continue", "kill"]);
        Assert.Equal(137, bulwark.ExitCode);
        Assert.Contains("bulwark: killed by gdb", bulwark.Stderr);
    }

    [Fact]
    public void ABadPortIsRefused()
    {
        var r = CliProcess.Run("run", "--gdb", "70000", Guest("hello"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--gdb '70000' is not a TCP port", r.Stderr);
    }
}
