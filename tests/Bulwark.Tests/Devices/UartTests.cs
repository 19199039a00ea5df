using System.Text;
using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Devices;
using Bulwark.Machine.Devices.Plic;
using Bulwark.Machine.Devices.Uart;

namespace Bulwark.Tests.Devices;

/// <summary>The 16550A through the bus at QEMU's address: output, the registers, IIR's priorities, and
/// input that arrives at virtual times fixed by the input and the guest's own accesses.</summary>
public sealed class UartTests : IDisposable
{
    private const ulong Base = Uart16550.VirtBase;
    private const ulong Rbr = Base + 0, Thr = Base + 0, Dll = Base + 0, Ier = Base + 1, Dlm = Base + 1,
        Iir = Base + 2, Fcr = Base + 2, Lcr = Base + 3, Mcr = Base + 4, Lsr = Base + 5, Msr = Base + 6, Scr = Base + 7;
    private const ulong Delay = Uart16550.DefaultArrivalDelayNs;
    private const ulong DefaultCharTimeNs = 1_000_000_000 / 9600 * 10;

    private readonly DeviceFixture _f = new();
    private readonly MemoryStream _output = new();

    public void Dispose() => _output.Dispose();
    private readonly LineProbe _line = new();
    private Uart16550 _uart = null!;

    private void Attach(Stream? input, IInterruptLine? line = null)
    {
        _uart = new Uart16550(_f.Machine, line ?? _line, _output, input);
        _f.Machine.Bus.Map(Base, _uart);
    }

    private static MemoryStream Input(string text) => new(Encoding.ASCII.GetBytes(text));

    private byte Load(ulong address) => (byte)_f.Load(address, 1);
    private void Store(ulong address, byte value) => _f.Store(address, value, 1);
    private string Output => Encoding.ASCII.GetString(_output.ToArray());

    private ulong NextEventAt()
    {
        Assert.True(_f.Machine.Clock.TryPeekNextEvent(out ulong at), "no clock event scheduled");
        return at;
    }

    /// <summary>What a receive loop does while it waits for DR.</summary>
    private void Poll(int reads = Uart16550.PollReadsForInput)
    {
        for (int i = 0; i < reads; i++) Load(Lsr);
    }

    private void Print(string text)
    {
        foreach (char c in text)
        {
            while ((Load(Lsr) & 0x20) == 0) { }
            Store(Thr, (byte)c);
        }
    }

    [Fact]
    public void RegistersStartAsOnQemu()
    {
        Attach(null);
        Assert.Equal([0x00, 0x01, 0x00, 0x08, 0x60, 0xb0, 0x00], new[] { Ier, Iir, Lcr, Mcr, Lsr, Msr, Scr }.Select(Load));
        Assert.False(_line.Level);
    }

    [Fact]
    public void ThrWrites_GoToTheOutput_AndLsrAlwaysShowsTheTransmitterEmpty()
    {
        Attach(null);
        Print("Hello, world\n");
        Assert.Equal("Hello, world\n", Output);
        Assert.Equal(0x60, Load(Lsr));
        Assert.Equal(13, _uart.Counters.Single(c => c.Name == "bytes out").Value);
    }

    [Fact]
    public void WiderAccesses_ActOnTheRegisterAtTheirOffset_AndTheWindowHoldsEightRegisters()
    {
        Attach(null);
        _f.Store(Thr, 0x4241, 4);                     // only the low byte goes out
        Assert.Equal("A", Output);
        Assert.Equal(0x08UL, _f.Load(Mcr, 4));
        Assert.True(_f.Faults(Base + 8, 1));
        Assert.True(_f.Faults(Base + 0xff, 1));
        Assert.True(_f.Faults(Lsr, 2));               // misaligned
        Assert.Equal(0x100UL, _uart.Size);
    }

    [Fact]
    public void Dlab_TurnsOffsetsZeroAndOneIntoTheDivisorLatch()
    {
        Attach(null);
        Store(Ier, 0x05);
        Store(Lcr, 0x83);
        Store(Dll, 0x01);
        Store(Dlm, 0x02);
        Assert.Equal(0x01, Load(Dll));
        Assert.Equal(0x02, Load(Dlm));
        Assert.Equal(0x83, Load(Lcr));
        Assert.Equal("", Output);                     // the write to offset 0 was DLL, not THR
        Store(Lcr, 0x03);
        Assert.Equal(0x05, Load(Ier));
        Store(Thr, (byte)'x');
        Assert.Equal("x", Output);
        Store(Lcr, 0x83);
        Assert.Equal(0x01, Load(Dll));                // the divisor stayed
    }

    [Fact]
    public void ScratchAndModemControl_HoldWhatIsWritten()
    {
        Attach(null);
        Store(Scr, 0xa5);
        Assert.Equal(0xa5, Load(Scr));
        Store(Mcr, 0xff);
        Assert.Equal(0x1f, Load(Mcr));
        Assert.Equal(0xf0, Load(Msr));                // loopback: DTR, RTS, OUT1, OUT2 come back as DSR, CTS, RI, DCD
        Store(Mcr, 0x11);
        Assert.Equal(0x20, Load(Msr));
        Store(Mcr, 0x00);
        Assert.Equal(0xb0, Load(Msr));
    }

    [Fact]
    public void Fcr_FifoEnableShowsInIir()
    {
        Attach(null);
        Store(Fcr, 0x01);
        Assert.Equal(0xc1, Load(Iir));
        Store(Fcr, 0xc7);
        Assert.Equal(0xc1, Load(Iir));
        Store(Fcr, 0x00);
        Assert.Equal(0x01, Load(Iir));
    }

    [Fact]
    public void ThrEmptyInterrupt_IsRaisedWhenEnabled_ClearedByReadingIir_AndBackAfterEachWrite()
    {
        Attach(null);
        Store(Ier, 0x02);
        Assert.True(_line.Level);
        Assert.Equal(0x02, Load(Iir));
        Assert.False(_line.Level);
        Assert.Equal(0x01, Load(Iir));
        Store(Thr, (byte)'a');
        Assert.True(_line.Level);
        Assert.Equal(0x02, Load(Iir));
        Store(Thr, (byte)'b');
        Store(Ier, 0x00);
        Assert.False(_line.Level);
        Assert.Equal(0x01, Load(Iir));
    }

    [Fact]
    public void PollingGuest_GetsEachByteTheFixedDelayAfterItStartsWaiting_ThenNothingAfterTheEnd()
    {
        Attach(Input("hi"));
        _f.RunTo(1_000);
        Poll(Uart16550.PollReadsForInput - 1);
        Assert.False(_f.Machine.Clock.TryPeekNextEvent(out _));   // a read or two is not waiting yet
        Poll(1);
        Assert.Equal(1_000 + Delay, NextEventAt());
        _f.RunTo(1_000 + Delay - 1);
        Assert.Equal(0x60, Load(Lsr));
        _f.RunTo(1_000 + Delay);
        Assert.Equal(0x61, Load(Lsr));
        Assert.Equal((byte)'h', Load(Rbr));
        Assert.Equal(0x60, Load(Lsr));

        Poll();
        _f.RunFor(Delay);
        Assert.Equal(0x61, Load(Lsr));
        Assert.Equal((byte)'i', Load(Rbr));

        Poll();
        _f.RunFor(Delay);                             // finds the end of the input
        Poll();
        Assert.False(_f.Machine.Clock.TryPeekNextEvent(out _));
        Assert.Equal(0x60, Load(Lsr));
        Assert.Equal(2, _uart.Counters.Single(c => c.Name == "bytes in").Value);
        Assert.False(_line.Level);                    // no interrupt without IER
    }

    [Fact]
    public void InterruptDrivenGuest_GetsAReceivedDataInterruptPerByte()
    {
        Attach(Input("ab"));
        Store(Ier, 0x01);
        Assert.Equal(Delay, NextEventAt());
        _f.RunTo(Delay);
        Assert.True(_line.Level);
        Assert.Equal(0x04, Load(Iir));
        _f.RunTo(Delay + 500);
        Assert.Equal((byte)'a', Load(Rbr));
        Assert.False(_line.Level);
        Assert.Equal(0x01, Load(Iir));
        Assert.Equal(2 * Delay + 500, NextEventAt());   // the next is due a delay after the buffer emptied
        _f.RunTo(2 * Delay + 500);
        Assert.True(_line.Level);
        Assert.Equal((byte)'b', Load(Rbr));
        _f.RunFor(10 * Delay);
        Assert.False(_line.Level);
        Assert.Equal(2, _uart.Counters.Single(c => c.Name == "interrupts").Value);
    }

    [Fact]
    public void GuestThatNeverWaitsForInput_NeverTouchesTheInputStream()
    {
        Attach(new ThrowingStream());
        Store(Lcr, 0x83);                             // a typical init: divisor, 8N1, FIFOs, THR interrupt
        Store(Dll, 0x03);
        Store(Dlm, 0x00);
        Store(Lcr, 0x03);
        Store(Fcr, 0x07);
        Load(Lsr);
        Load(Rbr);                                    // clearing the receive buffer is not waiting
        Load(Iir);
        Load(Msr);
        Store(Ier, 0x02);
        for (int i = 0; i < 100; i++)
        {
            Print($"line {i}\n");
            Load(Lsr);                                // and waiting for the transmitter to drain
            Load(Iir);
            _f.RunFor(1_000_000);
        }
        _f.RunFor(1_000_000_000);
        Assert.StartsWith("line 0\nline 1\n", Output);
    }

    [Fact]
    public void GuestThatStartsWaiting_ReadsTheInputStream()
    {
        Attach(new ThrowingStream());
        Store(Ier, 0x01);
        Assert.Throws<InvalidOperationException>(() => _f.RunFor(Delay));
    }

    [Fact]
    public void GuestThatStopsWaitingBeforeTheByteIsDue_LeavesTheInputAlone_UntilItWaitsAgain()
    {
        Attach(new ThrowingStream());
        Poll();
        Store(Thr, (byte)'.');                        // printing, not waiting
        _f.RunFor(Delay);
        Store(Ier, 0x01);
        Store(Ier, 0x00);
        _f.RunFor(Delay);
        Poll();
        Assert.Throws<InvalidOperationException>(() => _f.RunFor(Delay));
    }

    [Fact]
    public void Iir_ReportsLineStatusThenReceivedDataThenThrEmpty()
    {
        Attach(null);
        Store(Ier, 0x07);
        Assert.Equal(0x02, Load(Iir));                // THR empty, now acknowledged
        Store(Mcr, 0x10);                             // loopback: what is sent is received
        Store(Thr, (byte)'x');
        Store(Thr, (byte)'y');                        // no FIFO: overruns the holding register
        Assert.Equal("", Output);
        Assert.True(_line.Level);
        Assert.Equal(0x06, Load(Iir));
        Assert.Equal(0x63, Load(Lsr));                // overrun, data ready; reading clears the overrun
        Assert.Equal(0x04, Load(Iir));
        Assert.Equal((byte)'y', Load(Rbr));
        Assert.Equal(0x02, Load(Iir));                // THR empty again since the last write
        Assert.Equal(0x01, Load(Iir));
        Assert.False(_line.Level);
    }

    [Fact]
    public void FifoAboveTriggerLevel_TellsOfASingleByteByTheTimeoutAfterFourCharacterTimes()
    {
        Attach(Input("z"));
        Store(Fcr, 0xc1);                             // FIFO, trigger level 14
        Store(Ier, 0x01);
        _f.RunTo(Delay);
        Assert.Equal(0x61, Load(Lsr));
        Assert.Equal(0xc1, Load(Iir));
        Assert.False(_line.Level);
        _f.RunTo(Delay + 4 * DefaultCharTimeNs - 1);
        Assert.False(_line.Level);
        _f.RunTo(Delay + 4 * DefaultCharTimeNs);
        Assert.True(_line.Level);
        Assert.Equal(0xcc, Load(Iir));
        Assert.Equal((byte)'z', Load(Rbr));
        Assert.Equal(0xc1, Load(Iir));
        Assert.False(_line.Level);
    }

    [Fact]
    public void FifoAtTriggerLevelOne_RaisesReceivedDataAtOnce()
    {
        Attach(Input("z"));
        Store(Fcr, 0x01);
        Store(Ier, 0x01);
        _f.RunTo(Delay);
        Assert.True(_line.Level);
        Assert.Equal(0xc4, Load(Iir));
    }

    [Fact]
    public void CharacterTime_FollowsTheDivisorAndLineControl()
    {
        Attach(Input("z"));
        Store(Lcr, 0x80);
        Store(Dll, 0x01);                             // 399193 baud: 2505 ns a bit
        Store(Lcr, 0x07);                             // 8 data bits, 2 stop bits: 11 bits a character
        Store(Fcr, 0xc1);
        Store(Ier, 0x01);
        _f.RunTo(Delay + 4 * 2505 * 11 - 1);           // the byte's event fires late: times still count from Delay
        Assert.False(_line.Level);
        _f.RunTo(Delay + 4 * 2505 * 11);
        Assert.Equal(0xcc, Load(Iir));
    }

    [Fact]
    public void Interrupt_ReachesTheHartThroughThePlicSource10()
    {
        var plic = new SifivePlic(_f.Machine);
        _f.Machine.Bus.Map(SifivePlic.VirtBase, plic);
        Attach(null, plic.Source(Uart16550.VirtIrq));
        _f.Store(SifivePlic.VirtBase + 4 * Uart16550.VirtIrq, 1, 4);
        _f.Store(SifivePlic.VirtBase + SifivePlic.EnableOffset, 1u << Uart16550.VirtIrq, 4);
        Store(Ier, 0x02);
        Assert.True(_f.Line(0, InterruptBits.MachineExternal));
        Assert.Equal((ulong)Uart16550.VirtIrq, _f.Load(SifivePlic.VirtBase + SifivePlic.ContextOffset + 4, 4));
        Assert.False(_f.Line(0, InterruptBits.MachineExternal));
    }

    [Fact]
    public void Output_IsFlushedBeforeEachBlockingRead_SoAPromptShows()
    {
        var output = new FlushCountingStream();
        _uart = new Uart16550(_f.Machine, _line, output, Input("y"));
        _f.Machine.Bus.Map(Base, _uart);
        Store(Thr, (byte)'?');
        Assert.Equal(0, output.Flushes);
        Store(Ier, 0x01);
        _f.RunFor(Delay);
        Assert.Equal(1, output.Flushes);
        Assert.Equal((byte)'y', Load(Rbr));
    }

    private sealed class FlushCountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override void Flush() => Flushes++;
    }

    private sealed class LineProbe : IInterruptLine
    {
        public bool Level { get; private set; }

        public void Set(bool level) => Level = level;
    }

    /// <summary>Stands for a terminal nobody types at: any read is a failure.</summary>
    private sealed class ThrowingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the UART read its input");
        public override int ReadByte() => throw new InvalidOperationException("the UART read its input");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
