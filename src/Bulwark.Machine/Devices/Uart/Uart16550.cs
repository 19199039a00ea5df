namespace Bulwark.Machine.Devices.Uart;

/// <summary>The 16550A UART of QEMU's virt board (QEMU's serial_mm with regshift 0: eight 1-byte
/// registers at the start of a 0x100 window; an access of any size acts on the one register at its
/// offset, and the rest of the window is unassigned, as on QEMU). Transmission is instant: a byte written
/// to THR goes straight to the output stream, so LSR always shows THRE and TEMT, and the THR-empty
/// interrupt (when IER enables it) is pending again right after each write until IIR reports it.
/// IIR reports, in 16550 priority order, line status (overrun, in loopback), character timeout, received
/// data, THR empty and modem status (never: the modem lines do not change). FCR, the FIFO flags in IIR, the
/// receive trigger levels and the timeout after four character times are QEMU's; DLAB, DLL/DLM, LCR, MCR
/// (with loopback) and SCR hold what the guest writes. The interrupt line is high while IIR has something.
///
/// Input is deterministic: the bytes the guest sees and the virtual times at which they appear depend only
/// on the input bytes and on what the guest does, never on when a host delivers them. The rule:
/// <list type="bullet">
/// <item>The guest waits for input while the receive buffer is empty and either IER enables the
/// received-data interrupt, or it has read LSR <see cref="PollReadsForInput"/> times in a row without
/// writing THR or reading RBR in between (a receive loop polling for DR; a transmit loop reads LSR once
/// per byte, since THRE is always set, so a guest that only prints is never taken to wait).</item>
/// <item>When the guest starts waiting, the next byte is due a fixed arrival delay of virtual time later
/// (<see cref="DefaultArrivalDelayNs"/> unless the board says otherwise), through a clock event. If the guest is still waiting then, the UART takes one byte from the input
/// stream (a blocking read, after flushing the output so a person at a terminal sees the prompt) and puts
/// it in RBR or the receive FIFO, raising the interrupt if enabled; if it is no longer waiting, the stream
/// is left alone until it waits again. End of stream means no more input, ever.</item>
/// <item>Bytes come one at a time: the next is due only once the guest has emptied the receive buffer.
/// In FIFO mode with a trigger level above one, the guest is therefore told by the timeout interrupt.</item>
/// </list>
/// So a guest that never waits for input never touches the input stream and never blocks on a terminal,
/// while a guest that enables the receive interrupt takes input as soon as it is due, even if it is busy
/// printing meanwhile (on a terminal the whole machine then waits for a key, in no virtual time).
/// Limitation: a guest that only peeks at LSR between writes (one read each time) is not waiting and sees no input.</summary>
public sealed class Uart16550 : IMmioDevice, IDeviceCounters
{
    /// <summary>Where QEMU's virt board puts it, and its PLIC source.</summary>
    public const ulong VirtBase = 0x1000_0000;
    public const int VirtIrq = 10;

    /// <summary>Consecutive LSR reads that show a guest polling for input.</summary>
    public const int PollReadsForInput = 8;

    /// <summary>Virtual time from the guest starting to wait to the next input byte: about one character
    /// at 1 Mbaud. Short, since a polling guest spins for all of it.</summary>
    public const ulong DefaultArrivalDelayNs = 10_000;

    /// <summary>QEMU's virt board clocks its UART at 399193 Hz (baud = clock / divisor).</summary>
    private const int BaudBase = 399_193;

    private const int FifoLength = 16;
    private const byte Dlab = 0x80;
    private const byte IerRdi = 0x01, IerThri = 0x02, IerRlsi = 0x04, IerMsi = 0x08;
    private const byte IirNoInt = 0x01, IirMsi = 0x00, IirThri = 0x02, IirRdi = 0x04, IirRlsi = 0x06, IirCti = 0x0c, IirId = 0x0e;
    private const byte IirFifoEnabled = 0xc0;
    private const byte LsrDr = 0x01, LsrOe = 0x02, LsrBi = 0x10, LsrThre = 0x20, LsrTemt = 0x40, LsrInterrupting = 0x1e;
    private const byte FcrFe = 0x01, FcrRfr = 0x02, FcrXfr = 0x04, FcrKept = 0xc9;
    private const byte McrLoop = 0x10;
    private const byte MsrDeltas = 0x0f;

    private readonly Machine _machine;
    private readonly IInterruptLine _irq;
    private readonly Stream _output;
    private readonly Stream? _input;
    private readonly RegisterMap _registers;

    private byte _ier, _lcr, _mcr = 0x08, _scr, _fcr;
    private byte _lsr = LsrThre | LsrTemt;
    private readonly byte _msr = 0xb0;   // DCD, DSR and CTS, as QEMU shows them for a console
    private ushort _divider = 0x0c;
    private byte _iirId = IirNoInt;
    private bool _thrPending, _timeoutPending, _irqLevel;

    /// <summary>Receive holding register (no FIFO) and receive FIFO.</summary>
    private byte _rbr;
    private readonly byte[] _fifo = new byte[FifoLength];
    private int _fifoHead, _fifoCount, _triggerLevel = 1;

    /// <summary>One character's time at the programmed rate (QEMU starts at 9600 baud, 10 bits).</summary>
    private ulong _charTimeNs = 1_000_000_000 / 9600 * 10;
    private ulong _timeoutGeneration;

    private readonly ulong _arrivalDelayNs;
    private int _lsrReadsInARow;
    private bool _arrivalScheduled, _inputEnded;

    private long _bytesOut, _bytesIn, _interrupts;

    /// <param name="irq">The PLIC source it drives (<see cref="VirtIrq"/> on the virt board).</param>
    /// <param name="output">Where transmitted bytes go (the console); flushed before each blocking input read.</param>
    /// <param name="input">Where received bytes come from, read only as described above; null for none.</param>
    public Uart16550(Machine machine, IInterruptLine irq, Stream output, Stream? input, ulong arrivalDelayNs = DefaultArrivalDelayNs)
    {
        if (arrivalDelayNs == 0) throw new ArgumentOutOfRangeException(nameof(arrivalDelayNs), "input must arrive after the guest starts waiting");
        _machine = machine;
        _irq = irq;
        _output = output;
        _input = input;
        _arrivalDelayNs = arrivalDelayNs;
        _registers = new RegisterMap(Name, machine.DeviceTrace)
            .Define8(0, "rbr/thr/dll", ReadRbr, WriteThr)
            .Define8(1, "ier/dlm", ReadIer, WriteIer)
            .Define8(2, "iir/fcr", ReadIir, WriteFcr)
            .Define8(3, "lcr", () => _lcr, WriteLcr)
            .Define8(4, "mcr", () => _mcr, WriteMcr)
            .Define8(5, "lsr", ReadLsr)
            .Define8(6, "msr", ReadMsr)
            .Define8(7, "scr", () => _scr, v => _scr = v);
    }

    public string Name => "uart0";

    public ulong Size => 0x100;

    public IEnumerable<(string Name, long Value)> Counters =>
    [
        ("bytes out", _bytesOut),
        ("bytes in", _bytesIn),
        ("interrupts", _interrupts),
    ];

    public bool Read(ulong offset, int size, out ulong value)
    {
        value = 0;
        return Accepts(offset, size) && _registers.Read(offset, 1, out value);
    }

    public bool Write(ulong offset, int size, ulong value) =>
        Accepts(offset, size) && _registers.Write(offset, 1, value & 0xff);

    private static bool Accepts(ulong offset, int size) => offset % (ulong)size == 0 && offset + (ulong)size <= 8;

    private bool DlabSet => (_lcr & Dlab) != 0;
    private bool FifoEnabled => (_fcr & FcrFe) != 0;
    private bool Loopback => (_mcr & McrLoop) != 0;

    private byte ReadRbr()
    {
        if (DlabSet) return (byte)_divider;
        byte value;
        if (FifoEnabled)
        {
            value = 0;
            if (_fifoCount > 0)
            {
                value = _fifo[_fifoHead];
                _fifoHead = (_fifoHead + 1) % FifoLength;
                _fifoCount--;
            }
            if (_fifoCount == 0) _lsr &= unchecked((byte)~(LsrDr | LsrBi));
            else ArmTimeout(_machine.Clock.Nanoseconds);
            _timeoutPending = false;
        }
        else
        {
            value = _rbr;
            _lsr &= unchecked((byte)~(LsrDr | LsrBi));
        }
        _lsrReadsInARow = 0;
        UpdateIrq();
        ScheduleArrivalIfWaiting();
        return value;
    }

    private void WriteThr(byte value)
    {
        if (DlabSet)
        {
            _divider = (ushort)((_divider & 0xff00) | value);
            UpdateCharTime();
            return;
        }
        _lsrReadsInARow = 0;
        if (Loopback) Receive(value, _machine.Clock.Nanoseconds);
        else
        {
            _output.WriteByte(value);
            _bytesOut++;
        }
        // Sent at once: the holding register is empty again.
        _thrPending = true;
        UpdateIrq();
    }

    private byte ReadIer() => DlabSet ? (byte)(_divider >> 8) : _ier;

    private void WriteIer(byte value)
    {
        if (DlabSet)
        {
            _divider = (ushort)((_divider & 0x00ff) | (value << 8));
            UpdateCharTime();
            return;
        }
        byte changed = (byte)((_ier ^ value) & 0x0f);
        _ier = (byte)(value & 0x0f);
        // As QEMU (and Bochs): enabling the THR-empty interrupt raises it, the holding register being empty.
        if ((changed & IerThri) != 0) _thrPending = (_ier & IerThri) != 0;
        if (changed != 0) UpdateIrq();
        ScheduleArrivalIfWaiting();
    }

    private byte ReadIir()
    {
        byte value = (byte)(_iirId | (FifoEnabled ? IirFifoEnabled : 0));
        if (_iirId == IirThri)
        {
            _thrPending = false;
            UpdateIrq();
        }
        return value;
    }

    private void WriteFcr(byte value)
    {
        // Turning the FIFOs on or off empties them.
        if (((value ^ _fcr) & FcrFe) != 0) value |= FcrXfr | FcrRfr;
        if ((value & FcrRfr) != 0)
        {
            _lsr &= unchecked((byte)~(LsrDr | LsrBi));
            _fifoHead = _fifoCount = 0;
            _timeoutGeneration++;
            _timeoutPending = false;
        }
        if ((value & FcrXfr) != 0) _thrPending = true;
        _fcr = (byte)(value & FcrKept);
        _triggerLevel = (_fcr >> 6) switch { 0 => 1, 1 => 4, 2 => 8, _ => 14 };
        UpdateIrq();
        ScheduleArrivalIfWaiting();
    }

    private void WriteLcr(byte value)
    {
        _lcr = value;
        UpdateCharTime();
    }

    private void WriteMcr(byte value)
    {
        _mcr = (byte)(value & 0x1f);
        ScheduleArrivalIfWaiting();   // leaving loopback may let input in again
    }

    private byte ReadLsr()
    {
        byte value = _lsr;
        if ((_lsr & (LsrBi | LsrOe)) != 0)
        {
            _lsr &= unchecked((byte)~(LsrBi | LsrOe));
            UpdateIrq();
        }
        if (_lsrReadsInARow < PollReadsForInput) _lsrReadsInARow++;
        ScheduleArrivalIfWaiting();
        return value;
    }

    private byte ReadMsr()
    {
        if (!Loopback) return _msr;
        // In loopback the modem outputs (DTR, RTS, OUT1, OUT2) come back as DSR, CTS, RI, DCD.
        return (byte)(((_mcr & 0x0c) << 4) | ((_mcr & 0x02) << 3) | ((_mcr & 0x01) << 5));
    }

    /// <summary>QEMU's character time: a start bit, the data bits, parity and stop bits at clock/divisor baud.</summary>
    private void UpdateCharTime()
    {
        if (_divider == 0) return;   // QEMU keeps the old rate
        int bits = 1 + 5 + (_lcr & 0x03) + ((_lcr & 0x04) != 0 ? 2 : 1) + ((_lcr & 0x08) != 0 ? 1 : 0);
        _charTimeNs = (ulong)(1_000_000_000 / (BaudBase / _divider)) * (ulong)bits;
    }

    /// <summary>A byte reaches the receiver at <paramref name="now"/> (from the input stream, or from THR in loopback).</summary>
    private void Receive(byte value, ulong now)
    {
        if (FifoEnabled)
        {
            // An overrun keeps what the FIFO holds.
            if (_fifoCount < FifoLength) _fifo[(_fifoHead + _fifoCount++) % FifoLength] = value;
            else _lsr |= LsrOe;
            ArmTimeout(now);
        }
        else
        {
            if ((_lsr & LsrDr) != 0) _lsr |= LsrOe;
            _rbr = value;
        }
        _lsr |= LsrDr;
        UpdateIrq();
    }

    /// <summary>The character timeout: data has sat in the FIFO for four character times without a read.
    /// Times count from <paramref name="now"/>, the event's own time when an event calls, however late the
    /// board fires it.</summary>
    private void ArmTimeout(ulong now)
    {
        ulong generation = ++_timeoutGeneration;
        _machine.Clock.Schedule(now + 4 * _charTimeNs, () =>
        {
            if (generation != _timeoutGeneration || _fifoCount == 0) return;
            _timeoutPending = true;
            UpdateIrq();
        });
    }

    private bool WaitingForInput =>
        _input != null && !_inputEnded && !Loopback && (_lsr & LsrDr) == 0
        && ((_ier & IerRdi) != 0 || _lsrReadsInARow >= PollReadsForInput);

    private void ScheduleArrivalIfWaiting()
    {
        if (_arrivalScheduled || !WaitingForInput) return;
        _arrivalScheduled = true;
        ulong at = _machine.Clock.Nanoseconds + _arrivalDelayNs;
        _machine.Clock.Schedule(at, () => Arrive(at));
    }

    private void Arrive(ulong at)
    {
        _arrivalScheduled = false;
        if (!WaitingForInput) return;
        _output.Flush();
        int value = _input!.ReadByte();
        if (value < 0)
        {
            _inputEnded = true;
            if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, "input ended");
            return;
        }
        _bytesIn++;
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, $"received 0x{value:x2}");
        Receive((byte)value, at);
    }

    /// <summary>Picks what IIR reports, highest priority first, and drives the line from it.</summary>
    private void UpdateIrq()
    {
        byte id = IirNoInt;
        if ((_ier & IerRlsi) != 0 && (_lsr & LsrInterrupting) != 0) id = IirRlsi;
        else if ((_ier & IerRdi) != 0 && _timeoutPending) id = IirCti;
        else if ((_ier & IerRdi) != 0 && (_lsr & LsrDr) != 0 && (!FifoEnabled || _fifoCount >= _triggerLevel)) id = IirRdi;
        else if ((_ier & IerThri) != 0 && _thrPending) id = IirThri;
        else if ((_ier & IerMsi) != 0 && (_msr & MsrDeltas) != 0) id = IirMsi;
        _iirId = id;

        bool level = id != IirNoInt;
        if (level == _irqLevel) return;
        _irqLevel = level;
        if (level) _interrupts++;
        _irq.Set(level);
        if (_machine.DeviceTrace.Enabled) _machine.DeviceTrace.Line(Name, level ? $"interrupt raised (IIR 0x{id:x2})" : "interrupt lowered");
    }
}
