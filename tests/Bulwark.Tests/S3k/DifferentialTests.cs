namespace Bulwark.Tests.S3k;

/// <summary>Differential tests: Bulwark's own s3k programs (tests/s3k-programs) call every system call with
/// valid and invalid arguments and print each result and the capability slots it changed; the C# kernel
/// must print exactly what the real kernel prints on the system board, with the same seed. The programs are
/// deterministic by design (one hart; processes without time slots run only when given time; exchanges
/// start at a slot's beginning), so any difference is the C# kernel's.</summary>
public sealed class DifferentialTests
{
    /// <summary>Every call but message passing, from one process; it ends with the kernel's assertion on an
    /// index whose low 16 bits pass the check.</summary>
    [Theory]
    [InlineData(0UL)]
    [InlineData(7UL)]
    public void SyscallsPrintWhatTheRealKernelPrints(ulong seed)
    {
        var program = new S3kProgram("syscalls");
        var (real, _) = program.RunRealKernel(0.4, seed);
        Assert.Contains("-- the whole table at the end --", real);
        Assert.EndsWith("Kernel assertion failed at src/cap_table.c:39.\n", real.Replace("\r", ""));
        var (mine, _, system) = program.RunCSharpKernel(0.4, seed);
        S3kProgram.AssertSameLines(real, mine);
        Assert.Equal(["hart 0: Kernel assertion failed at src/cap_table.c:39."], system.Kernel.Faults);
    }

    /// <summary>Sockets between a client-monitor and two servers (YIELD without time slots, NOYIELD with
    /// them): calls, sends, replies, capability transfers, permissions, SERVTIME, timeouts, a server
    /// suspended and resumed in recv, revoked channels, and a process suspending itself.</summary>
    [Theory]
    [InlineData(0UL)]
    [InlineData(7UL)]
    public void IpcPrintsWhatTheRealKernelPrints(ulong seed)
    {
        var program = new S3kProgram("ipc");
        var (real, _) = program.RunRealKernel(1.8, seed);
        Assert.Contains("call NOYIELD LATE = SUCCESS", real);
        Assert.Contains("state of pid 0: SUCCESS 0x5", real);
        Assert.DoesNotContain("not printed", real);
        var (mine, _, system) = program.RunCSharpKernel(1.8, seed);
        S3kProgram.AssertSameLines(real, mine);
        Assert.Empty(system.Kernel.Faults);
        Assert.True(system.Kernel.Trace.IpcMessages >= 20, $"{system.Kernel.Trace.IpcMessages} messages");
    }
}
