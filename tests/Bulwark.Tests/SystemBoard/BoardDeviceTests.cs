using Bulwark.Tests.Cli;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.SystemBoard.TinyElf;

namespace Bulwark.Tests.SystemBoard;

/// <summary>Machine-mode programs of a few instructions through `bulwark system`: the board's devices and
/// traps end to end, as a bare-metal program sees them at QEMU virt's addresses.</summary>
public sealed class BoardDeviceTests
{
    private const ulong Start = 0x8000_0000;
    private const int T0 = 5, T1 = 6, T2 = 7, A0 = 10;
    private const uint Wfi = 0x10500073, Mret = 0x30200073;
    private const int Mtvec = 0x305, Mie = 0x304, Mstatus = 0x300, Mcause = 0x342;

    /// <summary>t0 = Start + 0x100, from the first instruction's pc (a 32-bit constant would sign-extend).</summary>
    private static uint[] HandlerAddress() => [Auipc(T0, 0), Addi(T0, T0, 0x100)];

    /// <summary>Writes <paramref name="valueReg"/> to QEMU's test finisher.</summary>
    private static uint[] Finish(int valueReg) => [.. Li(T0, 0x100000), Sw(valueReg, T0, 0), Jal(0, 0)];

    [Fact]
    public void TheTestFinisherEndsTheRunWithItsCode()
    {
        var fail = CliProcess.Run("system", "--max-time", "1", Write(Start, [.. Li(T1, 0x3333 | (42 << 16)), .. Finish(T1)]));
        Assert.Equal(42, fail.ExitCode);
        var pass = CliProcess.Run("system", "--max-time", "1", Write(Start, [.. Li(T1, 0x5555), .. Finish(T1)]));
        Assert.Equal(0, pass.ExitCode);
        Assert.Equal("", pass.Stderr);
    }

    [Fact]
    public void TheUartIsTheConsole()
    {
        var program = new List<uint>();
        program.AddRange(Li(T2, 0x1000_0000));
        foreach (char c in "hi\n")
        {
            program.Add(Addi(T1, 0, c));
            program.Add(Sb(T1, T2, 0));
        }
        program.AddRange(Li(T1, 0x5555));
        program.AddRange(Finish(T1));
        var r = CliProcess.Run("system", "--max-time", "1", "--stats", Write(Start, program));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("hi\n", r.Stdout);
        Assert.Matches(@"uart0: bytes out\s+3", r.Stderr);
    }

    /// <summary>mtimecmp = mtime + 1000 ticks (100 us), the timer interrupt enabled, WFI: the hart sleeps
    /// until the interrupt, which enters the handler at mtvec; the handler ends the run with mcause's code.</summary>
    [Fact]
    public void WfiSleepsUntilTheTimerInterruptAtItsVirtualTime()
    {
        var program = new List<uint>();
        // 0x00: mtvec = Start + 0x100 (the handler)
        program.AddRange(HandlerAddress());
        program.Add(Csrrw(0, Mtvec, T0));
        program.AddRange(Li(T2, 0x0200_bff8));      // mtime
        program.Add(Ld(T1, T2, 0));
        program.Add(Addi(T1, T1, 1000));
        program.AddRange(Li(T2, 0x0200_4000));      // mtimecmp[0]
        program.Add(Sd(T1, T2, 0));
        program.Add(Addi(T0, 0, 1 << 7));           // mie.MTIE
        program.Add(Csrrw(0, Mie, T0));
        program.Add(Addi(T0, 0, 1 << 3));           // mstatus.MIE
        program.Add(Csrrw(0, Mstatus, T0));
        program.Add(Wfi);
        program.Add(Jal(0, 0));
        while (program.Count < 0x100 / 4) program.Add(Nop);
        // 0x100: the handler: exit code = mcause & 0xff (7: machine timer interrupt)
        program.Add(Csrrs(T1, Mcause, 0));
        program.Add(Andi(T1, T1, 0xff));
        program.Add(Slli(T1, T1, 16));
        program.AddRange(Li(T2, 0x3333));
        program.Add(Or(T1, T1, T2));
        program.AddRange(Finish(T1));
        var r = CliProcess.Run("system", "--max-time", "1", "--stats", Write(Start, program));
        Assert.Equal(7, r.ExitCode);
        Assert.Matches(@"clint: timer interrupts\s+1", r.Stderr);
        var time = double.Parse(System.Text.RegularExpressions.Regex.Match(r.Stderr, @"virtual time\s+([\d.]+) ms").Groups[1].Value);
        Assert.InRange(time, 0.100, 0.101);
    }

    /// <summary>A byte on stdin reaches the UART, whose receive interrupt goes through the PLIC (source 10,
    /// context 0 = hart 0's M mode) to MEIP; the handler claims it, reads the byte and exits with it.</summary>
    [Fact]
    public void UartInputRaisesAnExternalInterruptThroughThePlic()
    {
        var program = new List<uint>();
        program.AddRange(HandlerAddress());
        program.Add(Csrrw(0, Mtvec, T0));
        program.AddRange(Li(T2, 0x0c00_0000));
        program.Add(Addi(T1, 0, 1));
        program.Add(Sw(T1, T2, 10 * 4));            // priority[10] = 1
        program.AddRange(Li(T2, 0x0c00_2000));
        program.Add(Addi(T1, 0, 1 << 10));
        program.Add(Sw(T1, T2, 0));                 // enable source 10 for context 0
        program.AddRange(Li(T2, 0x1000_0000));
        program.Add(Addi(T1, 0, 1));
        program.Add(Sb(T1, T2, 1));                 // UART IER: received-data interrupt
        program.AddRange(Li(T0, 1 << 11));          // mie.MEIE
        program.Add(Csrrw(0, Mie, T0));
        program.Add(Addi(T0, 0, 1 << 3));
        program.Add(Csrrw(0, Mstatus, T0));
        program.Add(Wfi);
        program.Add(Jal(0, 0));
        while (program.Count < 0x100 / 4) program.Add(Nop);
        // Handler: claim (must be 10), read RBR, complete, exit with the byte.
        program.AddRange(Li(T2, 0x0c20_0004));
        program.Add(Lw(A0, T2, 0));
        program.AddRange(Li(T0, 0x1000_0000));
        program.Add(Lbu(T1, T0, 0));
        program.Add(Sw(A0, T2, 0));
        program.Add(Addi(T0, 0, 10));
        program.Add(Bne(A0, T0, 8));                // a claim other than 10 exits with 1
        program.Add(Jal(0, 8));
        program.Add(Addi(T1, 0, 1));
        program.Add(Slli(T1, T1, 16));
        program.AddRange(Li(T2, 0x3333));
        program.Add(Or(T1, T1, T2));
        program.AddRange(Finish(T1));
        var r = CliProcess.RunWithInput("A", "system", "--max-time", "1", "--stats", Write(Start, program));
        Assert.Equal('A', r.ExitCode);
        Assert.Matches(@"plic: claims\s+1", r.Stderr);
    }

    /// <summary>--trace-devices shows what devices do that a driver should know about, stamped with the
    /// virtual time: here a write to an offset of the virtio-mmio window where no register is.</summary>
    [Fact]
    public void TraceDevicesReportsADriverMistake()
    {
        var program = new List<uint>();
        program.AddRange(Li(T2, 0x1000_1000));      // virtio slot 0
        program.Add(Sw(0, T2, 0x48));               // between QueuePFN (0x40) and QueueNotify (0x50)
        program.AddRange(Li(T1, 0x5555));
        program.AddRange(Finish(T1));
        string disk = Path.Combine(Path.GetTempPath(), $"bulwark-disk-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(disk, new byte[4096]);
        var quiet = CliProcess.Run("system", "--max-time", "1", "--disk", disk, Write(Start, program));
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Stderr);
        var traced = CliProcess.Run("system", "--max-time", "1", "--disk", disk, "--trace-devices", Write(Start, program));
        Assert.Equal(0, traced.ExitCode);
        Assert.Matches(@"^\[ *[\d.]+ us\] virtio0: write of 4 bytes 0x0 at 0x48: no register there \(ignored\)\n", traced.Stderr);
    }
}
