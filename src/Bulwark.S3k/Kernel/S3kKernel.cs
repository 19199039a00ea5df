using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Platforms;
using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Processes;
using Bulwark.S3k.Scheduling;
using Bulwark.S3k.Syscalls;

namespace Bulwark.S3k.Kernel;

/// <summary>The s3k kernel, written in C#, plugged into a board as its trap target (kernel.c, trap.S,
/// trap.c, interrupt.c). It runs above the board: a trap reaches it directly instead of entering M mode
/// at mtvec, and it saves the process's registers, handles the trap, and puts the next process's
/// registers back, leaving the hart in U mode. What the processes see is the real kernel's interface:
/// its system calls, their registers, their PMP, and the board's devices through PMP.
///
/// As trap.S does, the hart's PMP registers are written only when a process is dispatched (after the
/// scheduler or a hand-over: trap_resume) and on SYNC(0); a process that goes on after its own call
/// (trap_return) keeps the PMP it had, so a PMP_LOAD takes effect at the next dispatch or SYNC.</summary>
public sealed class S3kKernel : ITrapTarget
{
    private readonly Machine.Machine _machine;
    private readonly Action<Hart, bool> _idle;
    private readonly Process?[] _current;
    private readonly bool[] _idleHarts, _halted;
    private int _hart;

    /// <param name="idle">Parks a hart with nothing to run until its timer interrupt (or lets it run again).</param>
    public S3kKernel(Machine.Machine machine, S3kConfig config, Stream? console, Action<Hart, bool> idle, IKernelTimer? timer = null)
    {
        if (config.Problem() is { } problem) throw new ArgumentException(problem, nameof(config));
        if (machine.Harts.Count != config.Harts)
            throw new ArgumentException($"{config.Platform.Name} has {config.Harts} harts; the board has {machine.Harts.Count}", nameof(machine));
        _machine = machine;
        _idle = idle;
        Preempt = hart => (_machine.Harts[hart].InterruptLines & (1UL << InterruptBits.MachineTimer)) != 0;
        Config = config;
        Timer = timer ?? new ClintTimer(machine);
        Log = new KernelLog(console, config.Verbosity);
        Table = new CapTable(config.ProcCount, config.CapCount);
        Trace = new KernelTrace(Table);
        Processes = new ProcessTable(config, Timer);
        Slots = new SlotTable(config, Log);
        Channels = new Channels(config.ChanCount);
        Ops = new CapOps(Table, Processes, Slots, Channels, Trace) { Preempt = () => Preempt(_hart) };
        Pmp = new CapPmp(Table, Processes);
        LivelockFix = config.FixIpcLivelock ? new IpcLivelockFix(Table, Channels) : null;
        Monitor = new CapMonitor(Table, Processes, Ops, Pmp, LivelockFix);
        Ipc = new CapIpc(Table, Processes, Channels, Ops, Timer, Trace);
        Scheduler = new Scheduler(config, Slots, Processes, Timer, Log);
        Syscalls = new SyscallTable(config, Table, Processes, Ops, Pmp, Monitor, Ipc, Timer, Trace)
        {
            Preempt = () => Preempt(_hart),
            PmpSync = p => LoadPmp(_machine.Harts[_hart], p),
        };
        if (config.SupervisesDma)
        {
            Dma = new Dma.DmaSupervisor(machine, Table, checkAccesses: config.RevokePolicy != Bulwark.S3k.Dma.RevokePolicy.None);
            Guard = new Dma.RevocationGuard(config.RevokePolicy, Dma, Processes, config.DenyResetNs);
            Dma.Tracker.Ended = Guard.Refresh;
            Ops.Guard = Guard;
            Pmp.Guard = Guard;
        }
        _current = new Process?[config.Harts];
        _idleHarts = new bool[config.Harts];
        _halted = new bool[config.Harts];
    }

    public S3kConfig Config { get; }
    public IKernelTimer Timer { get; }
    public KernelLog Log { get; }
    public CapTable Table { get; }
    public KernelTrace Trace { get; }
    public ProcessTable Processes { get; }
    public SlotTable Slots { get; }
    public Channels Channels { get; }
    public CapOps Ops { get; }
    public CapPmp Pmp { get; }
    public CapMonitor Monitor { get; }
    /// <summary>--fix-ipc-livelock, or null (s3k's behaviour).</summary>
    public IpcLivelockFix? LivelockFix { get; }
    public CapIpc Ipc { get; }
    public Scheduler Scheduler { get; }
    public SyscallTable Syscalls { get; }

    /// <summary>The DMA monitor on the board's bus (owner-tagged log, request tracking, checks), when supervised.</summary>
    public Dma.DmaSupervisor? Dma { get; }

    /// <summary>The revoke policy at work, when DMA is supervised.</summary>
    public Dma.RevocationGuard? Guard { get; }

    /// <summary>The run's DMA figures so far (null when DMA is not supervised).</summary>
    public Dma.DmaReport? DmaReport() => Dma == null ? null : Bulwark.S3k.Dma.DmaReport.Of(Dma, Guard!.Records);

    /// <summary>kernel_preempt: whether a hart's timer has expired (mip.MTIP); tests may replace it.</summary>
    public Func<int, bool> Preempt { get; set; }

    /// <summary>Why harts stopped (a failed kernel assertion, or what would be undefined behaviour in s3k).</summary>
    public List<string> Faults { get; } = [];

    /// <summary>The process a hart runs, if any.</summary>
    public Process? Current(int hart) => _current[hart];

    /// <summary>kernel_init: the console lines, the boot capabilities, the schedule, the processes.</summary>
    public void Init()
    {
        Log.Print(0, "# uart initialized\n");
        if (Config.Harts > 1) Log.Print(0, "# capability lock initialized\n");
        Log.Print(0, "# Initial capabilities:\n");
        // ctable_init inserts every boot capability right after slot 0 (which links to itself first).
        foreach (var (index, cap) in Config.Platform.BootCapabilities(Config))
        {
            Table.Insert(Table.Get(0, (ulong)index), cap, 0);
            Log.Print(0, $"#\t{index}: {CapFormat.Format(cap)}\n");
        }
        Log.Print(0, "# ctable initialized\n");
        Scheduler.Init();
        Log.Print(0, "# scheduler initialized\n");
        if (Pmp.Load(Table.Get(0, 0), 0) != Err.Success) throw new InvalidOperationException("process 0's PMP capability did not load");
        Log.Print(0, "# processes initialized\n");
        Log.Print(0, "# kernel initialization complete\n");
        Log.Print(0, "# starting boot process\n");
    }

    /// <summary>head.S's exit: every hart enables its timer interrupt and enters the scheduler. Here each
    /// hart drops to U mode with its timer already expired, so its first interrupt enters the scheduler.</summary>
    public void Start()
    {
        foreach (var hart in _machine.Harts)
        {
            hart.Csr.Mstatus = 0 | (hart.Csr.Mstatus & MstatusBits.Uxl64);
            hart.Csr.Mie = 1UL << InterruptBits.MachineTimer;
            MachineTraps.ReturnTo(hart, PrivilegeMode.User, Config.PayloadAddress);
            Timer.SetTimeout(hart.Id, 0);
        }
    }

    public void Exception(Hart hart, TrapCause cause, ulong value)
    {
        Enter(hart);
        var proc = _current[hart.Id] ?? throw new InvalidOperationException($"hart {hart.Id} trapped ({cause}) with no process on it");
        Save(hart, proc);
        try
        {
            if (cause == TrapCause.UserEcall)
            {
                var next = Syscalls.Handle(proc);
                Dma?.Observe();
                if (next == proc)
                {
                    Restore(hart, proc);
                }
                else
                {
                    Processes.Release(proc);
                    _current[hart.Id] = null;
                    if (next != null) Dispatch(hart, next);
                    else Schedule(hart);
                }
            }
            else
            {
                Trace.Exception();
                Exceptions.Handle(proc, cause, value);
                Restore(hart, proc);
            }
        }
        catch (Exception e) when (e is KernelAssertion or KernelFault)
        {
            Halt(hart, e);
        }
        WakeIdleHarts(hart);
    }

    public void Interrupt(Hart hart, int code)
    {
        Enter(hart);
        if (_current[hart.Id] is { } proc)
        {
            Save(hart, proc);
            Processes.Release(proc);
            _current[hart.Id] = null;
        }
        Schedule(hart);
        WakeIdleHarts(hart);
    }

    private void Enter(Hart hart)
    {
        _hart = hart.Id;
        Syscalls.Hart = hart.Id;
        _machine.Clock.Advance(Config.KernelEntryNs);
    }

    /// <summary>sched(): the next process for the hart, or the hart sleeps until one can be found.</summary>
    private void Schedule(Hart hart)
    {
        if (_halted[hart.Id]) return;
        var proc = Scheduler.Pick(hart.Id, out ulong retryAt);
        if (proc == null)
        {
            _idleHarts[hart.Id] = true;
            Timer.SetTimeout(hart.Id, retryAt);
            _idle(hart, true);
            return;
        }
        Timer.SetTimeout(hart.Id, proc.Timeout);
        Dispatch(hart, proc);
    }

    /// <summary>A hart that sleeps in the scheduler would, in s3k, see at once what another hart changed
    /// (a process released, resumed or given slots): it looks again after every kernel entry.</summary>
    private void WakeIdleHarts(Hart entered)
    {
        if (Config.Harts == 1) return;
        foreach (var hart in _machine.Harts)
            if (hart != entered && _idleHarts[hart.Id] && !_halted[hart.Id])
            {
                _hart = hart.Id;
                Syscalls.Hart = hart.Id;
                Schedule(hart);
            }
        _hart = entered.Id;
        Syscalls.Hart = entered.Id;
    }

    /// <summary>trap_resume: the process's PMP into the hart, then its registers.</summary>
    private void Dispatch(Hart hart, Process proc)
    {
        _current[hart.Id] = proc;
        if (_idleHarts[hart.Id])
        {
            _idleHarts[hart.Id] = false;
            _idle(hart, false);
        }
        LoadPmp(hart, proc);
        hart.ClearReservation();
        Restore(hart, proc);
    }

    /// <summary>proc_pmp_sync: pmpaddr0..7, then pmpcfg0.</summary>
    private void LoadPmp(Hart hart, Process proc)
    {
        var pmp = hart.Pmp ?? throw new InvalidOperationException("the board's harts have no PMP");
        ulong cfg = 0;
        for (int i = 0; i < proc.PmpAddr.Length; i++)
        {
            pmp.WriteCsr(16 + i, proc.PmpAddr[i]);
            cfg |= (ulong)proc.PmpCfg[i] << (8 * i);
        }
        pmp.WriteCsr(0, cfg);
    }

    private static void Save(Hart hart, Process proc)
    {
        var x = hart.State.X;
        proc[Reg.Pc] = hart.State.Pc;
        for (int i = 1; i < 32; i++) proc.Regs[i] = x[i];
    }

    private void Restore(Hart hart, Process proc)
    {
        var x = hart.State.X;
        x[0] = 0;
        for (int i = 1; i < 32; i++) x[i] = proc.Regs[i];
        hart.State.Pc = proc[Reg.Pc];
        _current[hart.Id] = proc;
    }

    /// <summary>The hart spins in the kernel for good (a failed KASSERT), as s3k's does.</summary>
    private void Halt(Hart hart, Exception e)
    {
        _halted[hart.Id] = true;
        if (e is KernelAssertion a && Config.Debug) Log.Print(0, a.Message + "\n");
        Faults.Add($"hart {hart.Id}: {e.Message}");
        _current[hart.Id] = null;
        _idleHarts[hart.Id] = true;
        Timer.SetTimeout(hart.Id, ulong.MaxValue);
        _idle(hart, true);
    }
}
