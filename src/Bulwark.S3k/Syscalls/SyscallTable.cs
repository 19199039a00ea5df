using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Kernel;
using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Syscalls;

/// <summary>The system call interface (syscall.c): <c>ecall</c> with the number in t0 and arguments in
/// a0..a7; the error comes back in t0, a value in a0. Each call has a validator, which checks its indexes
/// as s3k's C types hold them (capability index and pid 16 bits, PMP slot 8 bits, register the low 32
/// bits: reg_t is a C enum with no negative value, which GCC makes an unsigned int), and a handler, which returns the process the hart runs next: the caller (it goes on after its
/// ecall), another one (the caller leaves the hart), or null (the scheduler picks). A call that fails
/// validation returns its error at once; a valid call finding the hart's time up is not made: the
/// process leaves the hart at its ecall and makes the call again when it next runs.</summary>
public sealed class SyscallTable
{
    private delegate Err Validator(ulong[] a);
    private delegate Process? Handler(Process p, ulong[] a);

    private readonly Validator[] _validators;
    private readonly Handler[] _handlers;
    private readonly S3kConfig _config;
    private readonly CapTable _table;
    private readonly ProcessTable _procs;
    private readonly CapOps _ops;
    private readonly CapPmp _pmp;
    private readonly CapMonitor _mon;
    private readonly CapIpc _ipc;
    private readonly IKernelTimer _timer;
    private readonly KernelTrace _trace;
    private readonly ulong[] _args = new ulong[8];

    public SyscallTable(S3kConfig config, CapTable table, ProcessTable procs, CapOps ops, CapPmp pmp, CapMonitor mon, CapIpc ipc,
        IKernelTimer timer, KernelTrace trace)
    {
        (_config, _table, _procs, _ops, _pmp, _mon, _ipc, _timer, _trace) = (config, table, procs, ops, pmp, mon, ipc, timer, trace);
        _validators =
        [
            Always, ValidReg0, ValidReg0, Always, Always,
            ValidIdx0, ValidIdx01, ValidIdx0, ValidIdx0, ValidateDerive,
            ValidatePmpLoad, ValidIdx0,
            ValidateMonState, ValidateMonState, ValidateMonState, ValidateMonState, ValidateMonReg, ValidateMonReg,
            ValidateMonCapRead, ValidateMonCapMove, ValidateMonPmpLoad, ValidateMonCapRead,
            ValidIdx01, ValidIdx01, ValidIdx01,
        ];
        _handlers =
        [
            GetInfo, RegRead, RegWrite, Sync, Sleep,
            CapRead, CapMove, CapDelete, CapRevoke, CapDerive,
            PmpLoad, PmpUnload,
            MonSuspend, MonResume, MonStateGet, MonYield, MonRegRead, MonRegWrite,
            MonCapRead, MonCapMove, MonPmpLoad, MonPmpUnload,
            SockSend, SockRecv, SockSendRecv,
        ];
    }

    /// <summary>The hart the call is made on.</summary>
    public int Hart { get; set; }

    /// <summary>kernel_preempt for the calling hart.</summary>
    public Func<bool> Preempt { get; set; } = () => false;

    /// <summary>syscall_handler: the process's registers are saved; the result says who runs next.</summary>
    public Process? Handle(Process proc)
    {
        ulong call = proc[Reg.T0];
        for (int i = 0; i < 8; i++) _args[i] = proc.Regs[(int)Reg.A0 + i];
        var err = call < (ulong)_validators.Length ? _validators[call](_args) : Err.InvalidSyscall;
        Process? next;
        bool made = true;
        if (err != Err.Success)
        {
            proc[Reg.Pc] += 4;
            proc[Reg.T0] = (ulong)err;
            next = proc;
        }
        else if (Preempt())
        {
            next = null;
            made = false;
        }
        else
        {
            proc[Reg.Pc] += 4;
            _ipc.Hart = Hart;
            next = _handlers[call](proc, _args);
        }
        // What the call answered in t0: nothing if it was not made, or for SYNC, which writes no t0.
        Err? result = !made || (err == Err.Success && call == (ulong)Sys.Sync) ? null : (Err)(long)proc[Reg.T0];
        _trace.Syscall(proc.Pid, call, result);
        if (_trace.Syscalls != null) _trace.SyscallLine(proc.Pid, call, result, FormatArgs(call));
        return next;
    }

    private string FormatArgs(ulong call)
    {
        int n = call switch
        {
            0 or 1 or 3 or 4 or 5 or 7 or 8 or 11 => 1,
            2 or 6 or 10 or 12 or 13 or 14 or 15 => 2,
            9 or 16 or 18 or 21 => 3,
            17 or 20 => 4,
            19 => 5,
            22 or 24 => 7,
            23 => 2,
            _ => 8,
        };
        return string.Join(",", _args.Take(n).Select(v => v < 0x10000 ? v.ToString() : $"0x{v:x}"));
    }

    // The narrowing checks of syscall.c (its arguments are uint64 registers passed to cidx_t, pmp_slot_t,
    // pid_t and reg_t parameters).
    private bool ValidIdx(ulong v) => (ushort)v < _config.CapCount;
    private bool ValidSlot(ulong v) => (byte)v < _config.PmpCount;
    private bool ValidPid(ulong v) => (ushort)v < _config.ProcCount;
    private static bool ValidReg(ulong v) => (uint)v < (uint)Reg.Count;

    private static Err Always(ulong[] a) => Err.Success;
    private static Err ValidReg0(ulong[] a) => ValidReg(a[0]) ? Err.Success : Err.InvalidRegister;
    private Err ValidIdx0(ulong[] a) => ValidIdx(a[0]) ? Err.Success : Err.InvalidIndex;
    private Err ValidIdx01(ulong[] a) => !ValidIdx(a[0]) || !ValidIdx(a[1]) ? Err.InvalidIndex : Err.Success;

    private Err ValidateDerive(ulong[] a) =>
        !ValidIdx(a[0]) || !ValidIdx(a[1]) ? Err.InvalidIndex
        : !Derivation.IsValid(new Cap(a[2])) ? Err.InvalidDerivation
        : Err.Success;

    private Err ValidatePmpLoad(ulong[] a) =>
        !ValidIdx(a[0]) ? Err.InvalidIndex : !ValidSlot(a[1]) ? Err.InvalidSlot : Err.Success;

    private Err ValidateMonState(ulong[] a) =>
        !ValidIdx(a[0]) ? Err.InvalidIndex : !ValidPid(a[1]) ? Err.InvalidPid : Err.Success;

    private Err ValidateMonReg(ulong[] a) =>
        !ValidIdx(a[0]) ? Err.InvalidIndex : !ValidPid(a[1]) ? Err.InvalidPid : !ValidReg(a[2]) ? Err.InvalidRegister : Err.Success;

    private Err ValidateMonCapRead(ulong[] a) =>
        !ValidIdx(a[0]) ? Err.InvalidIndex : !ValidPid(a[1]) ? Err.InvalidPid : !ValidIdx(a[2]) ? Err.InvalidIndex : Err.Success;

    private Err ValidateMonCapMove(ulong[] a) =>
        !ValidIdx(a[0]) ? Err.InvalidIndex : !ValidPid(a[1]) ? Err.InvalidPid : !ValidIdx(a[2]) ? Err.InvalidIndex
        : !ValidPid(a[3]) ? Err.InvalidPid : !ValidIdx(a[4]) ? Err.InvalidIndex : Err.Success;

    private Err ValidateMonPmpLoad(ulong[] a) =>
        !ValidIdx(a[0]) ? Err.InvalidIndex : !ValidPid(a[1]) ? Err.InvalidPid : !ValidIdx(a[2]) ? Err.InvalidIndex
        : !ValidSlot(a[3]) ? Err.InvalidSlot : Err.Success;

    private static Process Done(Process p, Err err)
    {
        p[Reg.T0] = (ulong)err;
        return p;
    }

    private int Own(Process p, ulong index) => _table.Get((ulong)p.Pid, index);

    private Process? GetInfo(Process p, ulong[] a)
    {
        p[Reg.A0] = a[0] switch
        {
            0 => (ulong)p.Pid,
            1 => _timer.Time,
            2 => _timer.GetTimeout(Hart),
            _ => 0,
        };
        return Done(p, Err.Success);
    }

    private Process? RegRead(Process p, ulong[] a)
    {
        p[Reg.T0] = (ulong)Err.Success;
        p[Reg.A0] = p.Word(a[0]);
        return p;
    }

    private Process? RegWrite(Process p, ulong[] a)
    {
        p[Reg.T0] = (ulong)Err.Success;
        p.Word(a[0]) = a[1];
        return p;
    }

    /// <summary>SYNC(full): give up the hart to the scheduler; SYNC(0): load the process's PMP into the
    /// hart now. Neither writes t0.</summary>
    private Process? Sync(Process p, ulong[] a)
    {
        if (a[0] != 0)
        {
            p.Timeout = 0;
            return null;
        }
        PmpSync?.Invoke(p);
        return p;
    }

    /// <summary>proc_pmp_sync on the calling hart (set by the kernel).</summary>
    public Action<Process>? PmpSync { get; set; }

    /// <summary>SLEEP(t): not schedulable before mtime t; SLEEP(0): until the end of the current time.</summary>
    private Process? Sleep(Process p, ulong[] a)
    {
        p[Reg.T0] = (ulong)Err.Success;
        if (a[0] != 0) p.Timeout = a[0];
        return null;
    }

    private Process? CapRead(Process p, ulong[] a)
    {
        p[Reg.T0] = (ulong)_ops.Read(Own(p, a[0]), out var cap);
        p[Reg.A0] = cap.Raw;
        return p;
    }

    private Process? CapMove(Process p, ulong[] a) => Done(p, _ops.Move(Own(p, a[0]), Own(p, a[1])));

    private Process? CapDelete(Process p, ulong[] a) => Done(p, _ops.Delete(Own(p, a[0])));

    private Process? CapRevoke(Process p, ulong[] a)
    {
        var err = _ops.Revoke(Own(p, a[0]));
        p[Reg.T0] = (ulong)err;
        return err == Err.Preempted ? null : p;
    }

    private Process? CapDerive(Process p, ulong[] a) => Done(p, _ops.Derive(Own(p, a[0]), Own(p, a[1]), new Cap(a[2])));

    private Process? PmpLoad(Process p, ulong[] a) => Done(p, _pmp.Load(Own(p, a[0]), (byte)a[1]));

    private Process? PmpUnload(Process p, ulong[] a) => Done(p, _pmp.Unload(Own(p, a[0])));

    private Process? MonSuspend(Process p, ulong[] a) => Done(p, _mon.Suspend(Own(p, a[0]), (ushort)a[1]));

    private Process? MonResume(Process p, ulong[] a) => Done(p, _mon.Resume(Own(p, a[0]), (ushort)a[1]));

    private Process? MonStateGet(Process p, ulong[] a)
    {
        var err = _mon.StateGet(Own(p, a[0]), (ushort)a[1], out ulong state);
        if (err == Err.Success) p[Reg.A0] = state;
        return Done(p, err);
    }

    private Process? MonYield(Process p, ulong[] a)
    {
        Process? next = p;
        p[Reg.T0] = (ulong)_mon.Yield(Own(p, a[0]), (ushort)a[1], ref next);
        return next;
    }

    private Process? MonRegRead(Process p, ulong[] a)
    {
        int mon = Own(p, a[0]);
        var err = _mon.RegRead(mon, (ushort)a[1], (uint)a[2], out ulong value);
        if (err == Err.Success) p[Reg.A0] = value;
        return Done(p, err);
    }

    private Process? MonRegWrite(Process p, ulong[] a) => Done(p, _mon.RegWrite(Own(p, a[0]), (ushort)a[1], (uint)a[2], a[3]));

    private Process? MonCapRead(Process p, ulong[] a)
    {
        int mon = Own(p, a[0]);
        int src = _table.Get(a[1], a[2]);
        var err = _mon.CapRead(mon, src, out var cap, out bool read);
        if (read) p[Reg.A0] = cap.Raw;
        return Done(p, err);
    }

    private Process? MonCapMove(Process p, ulong[] a)
    {
        int mon = Own(p, a[0]);
        int src = _table.Get(a[1], a[2]);
        int dst = _table.Get(a[3], a[4]);
        return Done(p, _mon.CapMove(mon, src, dst));
    }

    private Process? MonPmpLoad(Process p, ulong[] a)
    {
        int mon = Own(p, a[0]);
        int pmp = _table.Get(a[1], a[2]);
        return Done(p, _mon.PmpLoad(mon, pmp, (byte)a[3]));
    }

    private Process? MonPmpUnload(Process p, ulong[] a)
    {
        int mon = Own(p, a[0]);
        int pmp = _table.Get(a[1], a[2]);
        return Done(p, _mon.PmpUnload(mon, pmp));
    }

    private IpcMessage Message(Process p, ulong[] a) => new(Own(p, a[1]), a[2] != 0, a[3], a[4], a[5], a[6]);

    private Process? SockSend(Process p, ulong[] a)
    {
        int sock = Own(p, a[0]);
        var msg = Message(p, a);
        Process? next = p;
        p[Reg.T0] = (ulong)_ipc.Send(sock, msg, ref next);
        return next;
    }

    private Process? SockRecv(Process p, ulong[] a)
    {
        int sock = Own(p, a[0]);
        int capBuf = Own(p, a[1]);
        Process? next = p;
        p[Reg.T0] = (ulong)_ipc.Recv(sock, capBuf, ref next);
        return next;
    }

    private Process? SockSendRecv(Process p, ulong[] a)
    {
        int sock = Own(p, a[0]);
        var msg = Message(p, a);
        Process? next = p;
        p[Reg.T0] = (ulong)_ipc.SendRecv(sock, msg, ref next);
        return next;
    }
}
