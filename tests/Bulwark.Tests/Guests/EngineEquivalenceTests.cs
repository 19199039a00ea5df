using Bulwark.Kernel;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Tests.Guests;

/// <summary>The block engine retires exactly the instructions the interpreter does: multi-hart programs
/// run under both with the same seed make the same scheduling decisions (every quantum ends at the same
/// instruction), print the same bytes, exit the same way and count the same instructions and virtual
/// time; and a schedule recorded under one engine replays under the other. The block engine compiling in
/// the background (where which code runs compiled depends on the host's timing) must make the same run too.</summary>
public sealed class EngineEquivalenceTests
{
    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"bulwark-{Guid.NewGuid():N}.schedule");

    [Theory]
    [InlineData("pthreads", 5UL, UserMemoryProtection.None, JitCompilation.Inline)]
    [InlineData("atomics", 8UL, UserMemoryProtection.None, JitCompilation.Inline)]
    [InlineData("locks_limits", 2UL, UserMemoryProtection.None, JitCompilation.Inline)]
    [InlineData("fork_wait", 4UL, UserMemoryProtection.None, JitCompilation.Inline)]
    [InlineData("pthreads", 6UL, UserMemoryProtection.Midas, JitCompilation.Inline)]
    [InlineData("compute_small", 1UL, UserMemoryProtection.None, JitCompilation.Inline)]
    [InlineData("pthreads", 5UL, UserMemoryProtection.None, JitCompilation.Background)]
    [InlineData("atomics", 8UL, UserMemoryProtection.None, JitCompilation.Background)]
    [InlineData("fork_wait", 4UL, UserMemoryProtection.None, JitCompilation.Background)]
    [InlineData("pthreads", 6UL, UserMemoryProtection.Midas, JitCompilation.Background)]
    [InlineData("compute_small", 1UL, UserMemoryProtection.None, JitCompilation.Background)]
    public void BothEnginesMakeTheSameRun(string name, ulong seed, UserMemoryProtection protection, JitCompilation jitCompile)
    {
        var guest = new GuestCase(name);
        var (interpreted, interpretedSchedule) = Recorded(guest, seed, protection, EngineKind.Interpreter);
        var (compiled, compiledSchedule) = Recorded(guest, seed, protection, EngineKind.Jit, jitCompile);
        Assert.Equal(interpreted.Status, compiled.Status);
        Assert.Equal(interpreted.Stdout, compiled.Stdout);
        Assert.Equal(interpreted.Stats.Instructions, compiled.Stats.Instructions);
        Assert.Equal(interpreted.Stats.ContextSwitches, compiled.Stats.ContextSwitches);
        Assert.Equal(interpreted.Stats.KernelPreemptions, compiled.Stats.KernelPreemptions);
        Assert.Equal(interpreted.VirtualNs, compiled.VirtualNs);
        Assert.Equal(File.ReadAllBytes(interpretedSchedule), File.ReadAllBytes(compiledSchedule));
    }

    [Fact]
    public void AScheduleRecordedUnderOneEngineReplaysUnderTheOther()
    {
        var guest = new GuestCase("pthreads");
        var (recorded, file) = Recorded(guest, 11, UserMemoryProtection.None, EngineKind.Interpreter);
        var replay = ScheduleRecording.Replay(file);
        var replayed = guest.Run(11, strategy: replay, engine: EngineKind.Jit);
        Assert.Null(replayed.Message);
        Assert.True(replay.Exhausted);
        Assert.Equal(recorded.Stdout, replayed.Stdout);
        Assert.Equal(recorded.Stats.Instructions, replayed.Stats.Instructions);
    }

    private static (GuestRun Run, string Schedule) Recorded(GuestCase guest, ulong seed, UserMemoryProtection protection, EngineKind engine,
        JitCompilation jitCompile = JitCompilation.Inline)
    {
        var recording = ScheduleRecording.Record(new RandomStrategy(seed));
        var run = guest.Run(seed, strategy: recording, protection: protection, engine: engine, jitCompile: jitCompile);
        string file = TempFile();
        recording.Save(file, guest.Name);
        return (run, file);
    }
}
