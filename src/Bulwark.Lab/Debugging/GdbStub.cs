using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Bulwark.Machine.Cpu;

namespace Bulwark.Lab.Debugging;

/// <summary>A GDB remote stub as an execution engine around the real one. While a debugger is attached
/// it runs one instruction at a time and checks breakpoints, watchpoints and single steps between them;
/// it never changes what runs or for how long: a quantum of N instructions is N single steps, so the
/// schedule, the output and the instruction counts are those of a run without the debugger (and of a
/// replayed schedule). Stopped, it serves gdb until gdb resumes it.
///
/// Supported: registers (integer, pc, float, fflags/frm/fcsr) read and written, memory read and written
/// (present pages only), software and hardware breakpoints (Z0/Z1), write watchpoints (Z2), single step,
/// continue, Ctrl-C, one gdb thread per guest thread, the target description, detach and kill.</summary>
public sealed class GdbStub(IExecutionEngine inner, IDebugTarget target, GdbPackets gdb, Func<bool> gdbHasData) : IExecutionEngine
{
    private readonly HashSet<ulong> _breakpoints = [];
    private readonly Dictionary<ulong, byte[]> _watchpoints = [];
    private bool _attached = true, _started;
    private int _generalThread, _stepThread = -2, _resumedThread = -1;
    private ulong _resumedPc;
    private string _lastStop = "S05";
    private long _sinceInterruptCheck;

    private bool Killed { get; set; }

    public StopReason Run(Hart hart, long budget)
    {
        if (!_attached) return inner.Run(hart, budget);
        long left = budget;
        while (left > 0)
        {
            int thread = target.ThreadOn(hart);
            ulong pc = hart.State.Pc;
            if (!_started)
            {
                _started = true;
                Stop(thread, $"T05thread:{thread:x};");
            }
            else if (_breakpoints.Contains(pc) && !(thread == _resumedThread && pc == _resumedPc))
            {
                Stop(thread, $"T05thread:{thread:x};");
            }
            else if (++_sinceInterruptCheck >= 100_000)
            {
                _sinceInterruptCheck = 0;
                if (gdb.InterruptPending(gdbHasData)) Stop(thread, $"T02thread:{thread:x};");
            }
            if (Killed) throw new DebuggerKilledException();
            if (!_attached) return inner.Run(hart, left);
            _resumedThread = -1;
            ulong before = hart.InstructionsRetired;
            var reason = inner.Run(hart, 1);
            left -= (long)(hart.InstructionsRetired - before);
            if (hart.InstructionsRetired > before)
            {
                if (_stepThread == thread || _stepThread == 0 || _stepThread == -1) Stop(thread, $"T05thread:{thread:x};");
                else if (ChangedWatchpoint(thread) is { } address) Stop(thread, $"T05thread:{thread:x};watch:{address:x};");
            }
            if (Killed) throw new DebuggerKilledException();
            if (reason != StopReason.BudgetExhausted) return reason;
        }
        return StopReason.BudgetExhausted;
    }

    /// <summary>Tells gdb the program ended: exited with a status, or killed by a signal.</summary>
    public void Exited(int status)
    {
        if (!_attached) return;
        gdb.Send(status >= 128 ? $"X{status - 128:x2}" : $"W{status:x2}");
        _attached = false;
    }

    private ulong? ChangedWatchpoint(int thread)
    {
        foreach (var (address, old) in _watchpoints)
        {
            var now = new byte[old.Length];
            if (!target.Read(thread, address, now) || now.AsSpan().SequenceEqual(old)) continue;
            _watchpoints[address] = now;
            return address;
        }
        return null;
    }

    /// <summary>Reports the stop and serves gdb until it resumes (c, s, vCont), detaches or kills.</summary>
    private void Stop(int thread, string reply)
    {
        _stepThread = -2;
        _generalThread = thread;
        _lastStop = reply;
        gdb.Send(reply);
        while (true)
        {
            string? packet = gdb.Receive();
            if (packet == null)
            {
                // gdb went away: the run goes on undisturbed.
                _attached = false;
                return;
            }
            if (Serve(packet, thread) is { } resumed)
            {
                _resumedThread = thread;
                _resumedPc = target.Registers(thread)?.Pc ?? 0;
                _stepThread = resumed;
                RefreshWatchpoints(thread);
                return;
            }
            if (Killed || !_attached) return;
        }
    }

    /// <summary>Handles one packet; returns the step thread when the target resumes (-2: continue).</summary>
    private int? Serve(string packet, int stopped)
    {
        switch (packet[0])
        {
            case '?': gdb.Send(_lastStop); return null;
            case 'c': return -2;
            case 's': return stopped;
            case 'D':
                _attached = false;
                gdb.Send("OK");
                return null;
            case 'k':
                Killed = true;
                return null;
            case 'g': gdb.Send(AllRegisters(_generalThread)); return null;
            case 'p': gdb.Send(ReadRegister(_generalThread, int.Parse(packet[1..], NumberStyles.HexNumber))); return null;
            case 'P': gdb.Send(WriteRegister(_generalThread, packet[1..]) ? "OK" : "E01"); return null;
            case 'm': gdb.Send(ReadMemory(packet[1..])); return null;
            case 'M': gdb.Send(WriteMemory(packet[1..]) ? "OK" : "E01"); return null;
            case 'H':
                int which = ParseThread(packet[2..]);
                if (packet[1] == 'g' && which > 0) _generalThread = which;
                gdb.Send("OK");
                return null;
            case 'T': gdb.Send(target.Threads.Contains(ParseThread(packet[1..])) ? "OK" : "E01"); return null;
            case 'Z' or 'z': gdb.Send(Breakpoint(packet)); return null;
            case 'v': return Verbose(packet, stopped);
            case 'q': gdb.Send(Query(packet)); return null;
            default: gdb.Send(""); return null;
        }
    }

    private int? Verbose(string packet, int stopped)
    {
        if (packet == "vCont?")
        {
            gdb.Send("vCont;c;C;s;S");
            return null;
        }
        if (packet.StartsWith("vCont;"))
        {
            // The first action decides: a step of some thread, or continue.
            string action = packet["vCont;".Length..].Split(';')[0];
            if (action.StartsWith('s') || action.StartsWith('S'))
            {
                int colon = action.IndexOf(':');
                return colon < 0 ? stopped : ParseThread(action[(colon + 1)..]);
            }
            return -2;
        }
        if (packet.StartsWith("vKill"))
        {
            Killed = true;
            gdb.Send("OK");
            return null;
        }
        gdb.Send("");
        return null;
    }

    private string Query(string packet)
    {
        if (packet.StartsWith("qSupported")) return "PacketSize=4000;qXfer:features:read+;vContSupported+";
        if (packet == "qAttached") return "1";
        if (packet == "qC") return $"QC{_generalThread:x}";
        if (packet == "qfThreadInfo") return "m" + string.Join(',', target.Threads.Select(t => t.ToString("x")));
        if (packet == "qsThreadInfo") return "l";
        if (packet.StartsWith("qXfer:features:read:target.xml:"))
        {
            var range = packet["qXfer:features:read:target.xml:".Length..].Split(',');
            int offset = int.Parse(range[0], NumberStyles.HexNumber), length = int.Parse(range[1], NumberStyles.HexNumber);
            string xml = RiscvTargetDescription.Xml();
            if (offset >= xml.Length) return "l";
            string chunk = xml.Substring(offset, Math.Min(length, xml.Length - offset));
            return (offset + chunk.Length >= xml.Length ? "l" : "m") + chunk;
        }
        if (packet.StartsWith("qSymbol")) return "OK";
        return "";
    }

    private string Breakpoint(string packet)
    {
        var parts = packet[3..].Split(',');
        ulong address = ulong.Parse(parts[0], NumberStyles.HexNumber);
        bool insert = packet[0] == 'Z';
        switch (packet[1])
        {
            case '0' or '1':
                if (insert) _breakpoints.Add(address);
                else _breakpoints.Remove(address);
                return "OK";
            case '2':
                if (!insert)
                {
                    _watchpoints.Remove(address);
                    return "OK";
                }
                int length = int.Parse(parts[1], NumberStyles.HexNumber);
                var bytes = new byte[length];
                if (!target.Read(_generalThread, address, bytes)) return "E14";
                _watchpoints[address] = bytes;
                return "OK";
            default:
                // Read and access watchpoints would need every load checked: not supported.
                return "";
        }
    }

    private void RefreshWatchpoints(int thread)
    {
        foreach (var address in _watchpoints.Keys.ToList())
        {
            var bytes = new byte[_watchpoints[address].Length];
            if (target.Read(thread, address, bytes)) _watchpoints[address] = bytes;
        }
    }

    private string AllRegisters(int thread)
    {
        if (target.Registers(thread) is not { } r) return "E01";
        var text = new StringBuilder();
        for (int i = 0; i < 32; i++) text.Append(Hex(r.X[i], 8));
        text.Append(Hex(r.Pc, 8));
        for (int i = 0; i < 32; i++) text.Append(Hex(r.F[i], 8));
        return text.ToString();
    }

    private string ReadRegister(int thread, int number)
    {
        if (target.Registers(thread) is not { } r) return "E01";
        return number switch
        {
            < 32 => Hex(r.X[number], 8),
            RiscvTargetDescription.Pc => Hex(r.Pc, 8),
            >= RiscvTargetDescription.FirstFloat and < RiscvTargetDescription.FirstFloat + 32 => Hex(r.F[number - RiscvTargetDescription.FirstFloat], 8),
            RiscvTargetDescription.Fflags => Hex(r.Fflags, 4),
            RiscvTargetDescription.Frm => Hex(r.Frm, 4),
            RiscvTargetDescription.Fcsr => Hex(r.Fcsr, 4),
            _ => "E45",
        };
    }

    private bool WriteRegister(int thread, string assignment)
    {
        if (target.Registers(thread) is not { } r) return false;
        var parts = assignment.Split('=');
        int number = int.Parse(parts[0], NumberStyles.HexNumber);
        var bytes = Convert.FromHexString(parts[1]);
        ulong value = bytes.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0, 4));
        switch (number)
        {
            case 0: return true;
            case < 32: r.X[number] = value; return true;
            case RiscvTargetDescription.Pc: r.Pc = value; return true;
            case >= RiscvTargetDescription.FirstFloat and < RiscvTargetDescription.FirstFloat + 32: r.F[number - RiscvTargetDescription.FirstFloat] = value; return true;
            case RiscvTargetDescription.Fflags: r.Fflags = (uint)value; return true;
            case RiscvTargetDescription.Frm: r.Frm = (uint)value; return true;
            case RiscvTargetDescription.Fcsr: r.Fcsr = (uint)value & 0xff; return true;
            default: return false;
        }
    }

    private string ReadMemory(string request)
    {
        var parts = request.Split(',');
        ulong address = ulong.Parse(parts[0], NumberStyles.HexNumber);
        int length = Math.Min(int.Parse(parts[1], NumberStyles.HexNumber), 0x1000);
        var bytes = new byte[length];
        return target.Read(_generalThread, address, bytes) ? Convert.ToHexStringLower(bytes) : "E14";
    }

    private bool WriteMemory(string request)
    {
        int colon = request.IndexOf(':');
        var parts = request[..colon].Split(',');
        ulong address = ulong.Parse(parts[0], NumberStyles.HexNumber);
        var bytes = Convert.FromHexString(request[(colon + 1)..]);
        return bytes.Length == int.Parse(parts[1], NumberStyles.HexNumber) && target.Write(_generalThread, address, bytes);
    }

    /// <summary>A thread id: hex, "-1" for all, "0" for any; p-forms ("p1.2") take the thread part.</summary>
    private static int ParseThread(string text)
    {
        if (text.StartsWith('p')) text = text[(text.IndexOf('.') + 1)..];
        if (text == "-1") return -1;
        return int.TryParse(text, NumberStyles.HexNumber, null, out int id) ? id : 0;
    }

    private static string Hex(ulong value, int bytes)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return Convert.ToHexStringLower(b[..bytes]);
    }
}

/// <summary>gdb asked to kill the program: thrown out of the engine, so whichever platform runs it ends the run.</summary>
public sealed class DebuggerKilledException() : Exception("killed by gdb");
