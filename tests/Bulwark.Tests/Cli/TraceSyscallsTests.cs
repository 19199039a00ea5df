using System.Diagnostics;
using System.Text.RegularExpressions;
using Bulwark.Kernel;
using Bulwark.Kernel.Syscalls;
using Bulwark.Kernel.Tracing;
using Bulwark.Machine.Scheduling;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Cli;

/// <summary>`bulwark run --trace-syscalls` writes strace's lines, keeps them in order with the guest's
/// output, and changes nothing in the run it watches.</summary>
public sealed class TraceSyscallsTests
{
    private static string Elf(string name) => new GuestCase(name).Elf;

    /// <summary>The lines of tests/guests/trace_calls.c's own calls, whole, in this order (glibc's start-up
    /// calls and the ones showing host paths or stack addresses are left out). ADDR is the mmap's address.</summary>
    private static readonly string[] TraceCallsLines =
    [
        "[pid 1] openat(AT_FDCWD, \"/no/such/file\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)",
        "[pid 1] write(1, \"hello, trace\\n\", 13)  = 13",
        "[pid 1] write(1, \"0123456789abcdefghijklmnopqrstuv\"..., 37) = 37",
        "[pid 1] mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = ADDR",
        "[pid 1] mprotect(ADDR, 4096, PROT_READ) = 0",
        "[pid 1] munmap(ADDR, 8192)      = 0",
        "[pid 1] pipe2([3, 4], O_CLOEXEC)        = 0",
        "[pid 1] write(4, \"\\0\\1\\2abc\\t\\\"\\\\\\377\\n\", 11) = 11",
        "[pid 1] read(3, \"\\0\\1\\2abc\\t\\\"\\\\\\377\\n\", 64) = 11",
        "[pid 1] writev(1, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cd\\n\", iov_len=3}], 2) = 5",
        "[pid 1] ppoll([{fd=4, events=POLLOUT}], 1, {tv_sec=0, tv_nsec=0}, NULL, 0) = 1 ([{fd=4, revents=POLLOUT}])",
        "[pid 1] newfstatat(3, \"\", {st_mode=S_IFIFO|0600, st_size=0, ...}, AT_EMPTY_PATH) = 0",
        "[pid 1] close(3)                        = 0",
        "[pid 1] clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0",
        "[pid 1] rt_sigaction(SIGUSR1, {sa_handler=0x107f2, sa_mask=[], sa_flags=SA_RESTART}, NULL, 8) = 0",
        "[pid 1] rt_sigprocmask(SIG_BLOCK, [INT TERM], NULL, 8) = 0",
        "[pid 1] kill(1, SIGUSR1)                = 0",
        "[pid 1] --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=1, si_uid=1000} ---",
        "[pid 1] write(1, \"in handler\\n\", 11)    = 11",
        "[pid 1] rt_sigreturn({mask=[INT TERM]}) = 0",
        "[pid 1] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0d0) = 2",
        "[pid 2] --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---",
        "[pid 2] +++ killed by SIGSEGV +++",
        "[pid 1] wait4(2, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}], 0, NULL) = 2",
        "[pid 1] write(1, \"open -1, read 11, child segfault\"..., 35) = 35",
        "[pid 1] exit_group(0)                   = ?",
        "[pid 1] +++ exited with 0 +++",
    ];

    [Fact]
    public void TraceShowsDecodedCallsSignalsAndExits()
    {
        var r = CliProcess.Run("run", "--trace-syscalls", Elf("trace_calls"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(File.ReadAllText(Path.ChangeExtension(Elf("trace_calls"), ".stdout")), r.Stdout);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string address = Regex.Match(r.Stderr, @"mmap\(NULL, 8192, .* = (0x[0-9a-f]+)").Groups[1].Value;
        Assert.NotEmpty(address);
        var normalised = lines.Select(l => l.Replace(address, "ADDR")).ToList();
        int at = 0;
        foreach (string expected in TraceCallsLines)
        {
            int found = normalised.IndexOf(expected, at);
            Assert.True(found >= 0, $"missing, or out of order after line {at}: {expected}\n--- trace:\n{string.Join('\n', normalised)}");
            at = found + 1;
        }
        Assert.Equal("[pid 1] +++ exited with 0 +++", normalised[^1]);
        // Every call's line is whole: no other line starts inside it.
        Assert.All(lines, l => Assert.StartsWith("[pid ", l));
    }

    [Fact]
    public void GuestOutputAndTraceKeepTheirOrderInOneFile()
    {
        string file = Path.Combine(Path.GetTempPath(), $"bulwark-trace-{Guid.NewGuid():N}.txt");
        try
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "bulwark.dll");
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec dotnet \"$0\" run --trace-syscalls \"$1\" >\"$2\" 2>&1 </dev/null");
            info.ArgumentList.Add(dll);
            info.ArgumentList.Add(Elf("trace_calls"));
            info.ArgumentList.Add(file);
            using (var process = Process.Start(info)!)
            {
                Assert.True(process.WaitForExit(120_000), "bulwark did not finish");
                Assert.Equal(0, process.ExitCode);
            }
            var lines = File.ReadAllLines(file).ToList();
            // What the guest wrote comes right before the line of the write that wrote it, after the call before it.
            AssertPrecedes(lines, "[pid 1] openat(AT_FDCWD, \"/no/such/file\"", "hello, trace", "[pid 1] write(1, \"hello, trace\\n\", 13)");
            AssertPrecedes(lines, "[pid 1] --- SIGUSR1", "in handler", "[pid 1] write(1, \"in handler\\n\", 11)");
            AssertPrecedes(lines, "[pid 1] ioctl(1, TCGETS", "open -1, read 11, child segfaulted", "[pid 1] write(1, \"open -1, read 11");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertPrecedes(List<string> lines, string before, string output, string after)
    {
        int index = lines.IndexOf(output);
        Assert.True(index > 0 && index + 1 < lines.Count, $"guest line '{output}' not found:\n{string.Join('\n', lines)}");
        Assert.StartsWith(before, lines[index - 1]);
        Assert.StartsWith(after, lines[index + 1]);
    }

    public static TheoryData<string, ulong, UserMemoryProtection, bool> Runs => new()
    {
        { "trace_calls", 5, UserMemoryProtection.None, false },
        { "pthreads", 3, UserMemoryProtection.None, false },
        { "midas_write_race", 1, UserMemoryProtection.Midas, false },
        { "midas_copy_to_user", 2, UserMemoryProtection.None, true },
    };

    /// <summary>Tracing reads guest memory only through a side-effect-free peek: the same seed gives the
    /// same output, status, instructions, schedule, faults, preemptions, Midas versions and detector events.</summary>
    [Theory]
    [MemberData(nameof(Runs))]
    public void TracingDoesNotChangeTheRun(string name, ulong seed, UserMemoryProtection protection, bool detect)
    {
        var guest = new GuestCase(name);
        var plainSchedule = ScheduleRecording.Record(new RandomStrategy(seed));
        var tracedSchedule = ScheduleRecording.Record(new RandomStrategy(seed));
        var plain = guest.Run(seed, strategy: plainSchedule, protection: protection, detectDoubleFetch: detect);
        var traced = guest.Run(seed, strategy: tracedSchedule, protection: protection, detectDoubleFetch: detect, traceSyscalls: true);

        Assert.Contains("+++ exited with 0 +++", traced.Stderr);
        Assert.Equal(plain.Status, traced.Status);
        Assert.Equal(plain.Stdout, traced.Stdout);
        Assert.Equal(plain.Stats.Instructions, traced.Stats.Instructions);
        Assert.Equal(plain.Stats.Syscalls, traced.Stats.Syscalls);
        Assert.Equal(plain.Stats.PageFaults, traced.Stats.PageFaults);
        Assert.Equal(plain.Stats.ContextSwitches, traced.Stats.ContextSwitches);
        Assert.Equal(plain.Stats.KernelPreemptions, traced.Stats.KernelPreemptions);
        Assert.Equal(plain.VirtualNs, traced.VirtualNs);
        Assert.Equal(plain.FramesInUseAtExit, traced.FramesInUseAtExit);
        Assert.Equal(Saved(plainSchedule), Saved(tracedSchedule));
        if (plain.Policy is Bulwark.Kernel.Protections.Midas.MidasProtection midas)
        {
            var tracedMidas = ((Bulwark.Kernel.Protections.Midas.MidasProtection)traced.Policy).Stats;
            Assert.True(midas.Stats.PagesProtected > 0, "the Midas run should protect pages");
            Assert.Equal(midas.Stats.PagesProtected, tracedMidas.PagesProtected);
            Assert.Equal(midas.Stats.VersionsCreated, tracedMidas.VersionsCreated);
            Assert.Equal(midas.Stats.WriteFaults, tracedMidas.WriteFaults);
        }
        if (plain.Policy is Bulwark.Kernel.Protections.DoubleFetchDetection.DoubleFetchDetector detector)
            Assert.Equal(detector.Events.Count, ((Bulwark.Kernel.Protections.DoubleFetchDetection.DoubleFetchDetector)traced.Policy).Events.Count);
    }

    private static byte[] Saved(ScheduleRecording recording)
    {
        string file = Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}.schedule");
        try
        {
            recording.Save(file, "trace");
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void EveryImplementedCallHasItsArgumentsDecoded()
    {
        var undecoded = SyscallTable.Linux.Numbers.Where(n => !SyscallTracer.Decodes(n)).Order().ToList();
        Assert.True(undecoded.Count == 0, "calls the trace shows as six hex registers: " + string.Join(", ", undecoded));
    }
}
