namespace Bulwark.Tests.Guests;

/// <summary>Limits and pressure as Linux handles them (thread_limit, fork_bomb, oom_hog): a kernel-wide task
/// limit and RLIMIT_NPROC make clone and fork fail with EAGAIN, and a process that needs a page when guest memory
/// is exhausted dies of SIGKILL while the run goes on. qemu would show the host's limits, so the expected output
/// is what Linux's rules give for Bulwark's sizes.</summary>
public sealed class PressureTests
{
    /// <summary>1 GiB of guest memory: threads-max 8192 (one task per 128 KiB, as Linux sizes it) and RLIMIT_NPROC
    /// half of it, so 4095 threads join main before pthread_create is refused; each costs a few pages.</summary>
    [Fact]
    public void HundredThousandPausedThreadsEndWithARefusedPthreadCreateInBoundedMemory()
    {
        var run = new GuestCase("thread_limit").Run(harts: 2);
        Assert.True(run.Status == 0, run.Message);
        Assert.Equal("""
            created 4095 threads, then: EAGAIN
            RLIMIT_NPROC 4096: the threads and main fill it: yes
            below the running tasks: EAGAIN

            """, run.StdoutText);
        long peakMiB = run.Stats.PeakGuestFrames * 4096 >> 20;
        Assert.True(peakMiB < 64, $"peak guest memory {peakMiB} MiB");
        Assert.Equal(0, run.FramesInUseAtExit);
    }

    [Fact]
    public void AForkBombIsRefusedAndKilledAsAGroup()
    {
        var run = new GuestCase("fork_bomb").Run(harts: 2, memoryBytes: 256UL << 20);
        Assert.True(run.Status == 0, run.Message);
        Assert.Equal("""
            fork bomb refused with: EAGAIN
            bomb killed: yes, group gone: yes
            fork after the bomb: works
            setrlimit NPROC 4: ok
            fork 4: EAGAIN
            forked 3 under the limit

            """, run.StdoutText);
        Assert.Equal(0, run.FramesInUseAtExit);
    }

    [Fact]
    public void AMemoryHogIsKilledWithSigkillAndItsParentRunsOn()
    {
        var run = new GuestCase("oom_hog").Run(harts: 2, memoryBytes: 64UL << 20);
        Assert.True(run.Status == 0, run.Message);
        Assert.Equal("""
            the hog died of signal 9 (SIGKILL)
            the parent runs on: 2048

            """, run.StdoutText);
        Assert.Equal(1, run.Stats.OutOfMemoryKills);
        Assert.Contains("out of memory: killed process 2 (oom_hog.elf)", run.Stderr);
        Assert.Equal(0, run.FramesInUseAtExit);
    }

    /// <summary>RLIMIT_STACK is the stack an execve maps, as on Linux: 512 KiB of recursion fits in 1 MiB, 2 MiB does
    /// not. (qemu-user never makes a guest's stack smaller than 8 MiB, so it cannot be the oracle.)</summary>
    [Fact]
    public void RlimitStackBoundsTheStackOfAnExecutedProgram()
    {
        var run = new GuestCase("stack_limit").Run();
        Assert.True(run.Status == 0, run.Message);
        Assert.Equal("""
            RLIMIT_STACK 1 MiB: ok
            512 KiB deep: exit 0
            2048 KiB deep: killed by SIGSEGV

            """, run.StdoutText);
    }
}
