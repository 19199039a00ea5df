using System.Diagnostics;
using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Protections.DoubleFetchDetection;
using Bulwark.Kernel.Protections.Midas;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Kernel.Signals;
using Bulwark.Kernel.Syscalls;
using Bulwark.Kernel.UserAccess;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;
using Bulwark.Machine.Elf;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Scheduling;
using Bulwark.Machine.Translation;
using Process = Bulwark.Kernel.Processes.Process;

namespace Bulwark.Kernel;

/// <summary>The kernel: processes, threads and the deterministic scheduler that multiplexes them on
/// the machine's harts from one host thread. Every choice of interleaving comes from the strategy.</summary>
public sealed partial class KernelCore : IMemoryFaultHandler
{
    /// <summary>Instructions a thread runs alone before the scheduler looks again (no choice is recorded).</summary>
    private const long SoloQuantum = 1_000_000;
    /// <summary>Instructions a thread may run on a hart while others wait in the ready queue.</summary>
    private const long TimeSlice = 200_000;
    /// <summary>Virtual nanoseconds charged for entering the kernel.</summary>
    private const ulong SyscallCostNs = 100;

    private readonly GuestThread?[] _onHart;
    private readonly Queue<GuestThread> _ready = new();
    private readonly List<GuestThread> _sleepers = [];
    private readonly Dictionary<int, GuestThread> _threads = [];
    private readonly ISchedulingStrategy _strategy;
    private readonly SyscallTable _syscalls = SyscallTable.Linux;
    private readonly List<int> _candidateTids = [];
    private readonly List<Hart> _candidateHarts = [];
    private int _nextId = 1;
    private ulong _timeRemainder;
    private RunResult? _result;
    private int _ownerThread;

    public KernelCore(KernelOptions options)
    {
        Options = options;
        Machine = Bulwark.Machine.Machine.ForUserPrograms(options.Harts, options.MemoryBytes);
        Machine.Engine = ExecutionEngines.Create(options.Engine, options.JitThreshold, options.JitCompile);
        Machine.FaultHandler = this;
        FrameMappings = new FrameMappings(Machine);
        if (options.Protection == UserMemoryProtection.Midas && options.DetectDoubleFetch)
            throw new ArgumentException("double-fetch detection protects nothing; it cannot be combined with a protection");
        UserAccess = options.Protection switch
        {
            UserMemoryProtection.Midas => new MidasProtection(FrameMappings),
            _ when options.DetectDoubleFetch => new DoubleFetchDetector(TraceLine),
            _ => new DirectUserAccess(),
        };
        if (options.Protection == UserMemoryProtection.Midas && options.SharedProtection != SharedProtectionMode.None)
            throw new ArgumentException("Midas versions frames behind the segments' backs; it cannot be combined with a memory protection");
        Shared = new SharedSegments(this, options.SharedProtection, options.SharedAddressBits, options.Throttling);
        Machine.CustomUnit = Shared.Unit;
        _onHart = new GuestThread?[options.Harts];
        _strategy = options.Strategy ?? new RandomStrategy(options.Seed);
        Entropy = new Entropy(options.Seed);
        Files = new Vfs(options.Mounts);
        Fs.Proc.ProcFs.Mount(this);
        Stdout = new HostOutput(options.Stdout) { StatusFlags = OpenFile.OWrOnly };
        Stderr = new HostOutput(options.Stderr, flushFirst: Stdout) { StatusFlags = OpenFile.OWrOnly };
        Tracer = options.TraceSyscalls ? new Tracing.SyscallTracer(this) : null;
        Stdin = new HostInput(options.Stdin) { StatusFlags = OpenFile.ORdOnly };
    }

    public KernelOptions Options { get; }
    public Bulwark.Machine.Machine Machine { get; }
    public FrameMappings FrameMappings { get; }
    /// <summary>How system calls reach user memory: directly, or through a protection or detector.</summary>
    public IUserAccessPolicy UserAccess { get; }
    public Entropy Entropy { get; }
    /// <summary>The shared part of the address spaces and its protection (Protections/Passwords).</summary>
    public SharedSegments Shared { get; }
    public Vfs Files { get; }
    public KernelStats Stats { get; } = new();
    public HostOutput Stdout { get; }
    public HostOutput Stderr { get; }
    public HostInput Stdin { get; }
    /// <summary>The `--trace-syscalls` trace; null when off, so the hot paths test one field and do nothing else.</summary>
    public Tracing.SyscallTracer? Tracer { get; }
    public Process? InitProcess { get; private set; }
    public ulong NowNs => Machine.Clock.Nanoseconds;

    public int AllocateId() => _nextId++;

    public GuestThread? FindThread(int tid) => _threads.TryGetValue(tid, out var t) ? t : null;

    /// <summary>Live threads by id (for debuggers and tools).</summary>
    public IEnumerable<GuestThread> LiveThreads => _threads.Values.OrderBy(t => t.Tid);

    /// <summary>The thread on hart <paramref name="hart"/>, if any.</summary>
    public GuestThread? ThreadOn(int hart) => _onHart[hart];

    /// <summary>Loads <paramref name="program"/> as the first process and runs until it exits.</summary>
    public RunResult Run(string program, IReadOnlyList<string> argv) => Run(Elf.LinuxExecutable.Load(program), argv);

    /// <summary>Runs <paramref name="program"/>, already loaded and checked (it is only read, so one image
    /// can start many kernels), as the first process until it exits.</summary>
    public RunResult Run(ElfImage program, IReadOnlyList<string> argv)
    {
        _ownerThread = Environment.CurrentManagedThreadId;
        var watch = Stopwatch.StartNew();
        try
        {
            InitProcess = Elf.ProgramLoader.CreateInitProcess(this, program, argv, Options.Environment);
            Shared.OnProcessCreated(InitProcess);
            Schedule();
        }
        catch (KernelPanicException panic)
        {
            _result = new RunResult(panic.Status, panic.Message);
        }
        catch (FramesExhaustedException oom)
        {
            _result = new RunResult(126, oom.Message);
        }
        catch (ScheduleException schedule)
        {
            _result = new RunResult(2, schedule.Message);
        }
        catch (KernelViolationException violation)
        {
            _result = new RunResult(RunResult.ViolationStatus, violation.Message);
        }
        finally
        {
            Stats.HostSeconds = watch.Elapsed.TotalSeconds;
            Stats.Instructions = Machine.Harts.Sum(h => (long)h.InstructionsRetired);
            Stats.PeakGuestFrames = Machine.Memory.PeakFramesInUse;
            (Machine.Engine as BlockEngine)?.CancelCompiles();
            FlushOutputs();
        }
        return _result!;
    }

    public void FlushOutputs()
    {
        Stdout.Flush();
        Stderr.Flush();
    }

    public void AddThread(GuestThread thread)
    {
        _threads[thread.Tid] = thread;
        if (thread.Tid == thread.Process.Pid) RegisterProcess(thread.Process);
        thread.Process.Threads.Add(thread);
        MakeReady(thread);
    }

    private void Schedule()
    {
        while (_result == null)
        {
            for (int h = 0; h < _onHart.Length && _ready.Count > 0; h++)
                if (_onHart[h] == null) PlaceOnHart(_ready.Dequeue(), h);

            _candidateTids.Clear();
            _candidateHarts.Clear();
            for (int h = 0; h < _onHart.Length; h++)
            {
                if (_onHart[h] is not { } t) continue;
                _candidateTids.Add(t.Tid);
                _candidateHarts.Add(Machine.Harts[h]);
            }
            if (_candidateTids.Count == 0)
            {
                if (!AdvanceToNextDeadline())
                    throw new KernelPanicException($"deadlock: all {_threads.Count} live threads are blocked and no timer is pending");
                continue;
            }
            bool choice = _candidateTids.Count > 1;
            int pick = choice ? _strategy.PickThread(_candidateTids) : 0;
            if ((uint)pick >= (uint)_candidateTids.Count) throw new KernelPanicException($"scheduling strategy picked {pick} of {_candidateTids.Count} candidates");
            var hart = _candidateHarts[pick];
            var thread = _onHart[hart.Id]!;

            if (thread.Continuation is { } resume)
            {
                thread.Continuation = null;
                resume();
            }
            else
            {
                long budget = choice || _ready.Count > 0 ? _strategy.Quantum() : SoloBudget();
                try
                {
                    RunUser(hart, thread, budget);
                }
                catch (FramesExhaustedException)
                {
                    KillForMemory(thread); // no page for a signal frame the thread's return to user mode needed
                }
            }
            if (_handlerFailure is { } failure)
            {
                _handlerFailure = null;
                failure.Throw();
            }
            WakeExpiredSleepers();
        }
    }

    private long SoloBudget()
    {
        long budget = SoloQuantum;
        if (_sleepers.Count > 0)
        {
            ulong next = _sleepers.Min(s => s.WakeDeadline);
            budget = next <= NowNs ? 1 : (long)Math.Min((ulong)budget, next - NowNs);
        }
        return budget;
    }

    private void RunUser(Hart hart, GuestThread thread, long budget)
    {
        long remaining = Options.MaxInstructions - TotalInstructions();
        if (remaining <= 0)
            throw new KernelPanicException($"instruction limit reached ({Options.MaxInstructions} instructions, --max-instructions)", 124);
        budget = Math.Min(budget, remaining);
        ulong before = hart.InstructionsRetired;
        var reason = Machine.Engine.Run(hart, budget);
        long executed = (long)(hart.InstructionsRetired - before);
        AdvanceClock(executed);
        thread.SliceLeft -= executed;
        thread.Process.UserNs += (ulong)executed;
        switch (reason)
        {
            // A U-mode hart yields only after a device write, which this platform has none of.
            case StopReason.BudgetExhausted or StopReason.Yield:
                // A signal sent to a thread that is running user code arrives at the next interrupt.
                if (HasDeliverableSignal(thread)) DeliverPendingSignals(thread);
                if (thread.State != RunState.OnHart) break;
                if (thread.SliceLeft <= 0 && _ready.Count > 0)
                {
                    RemoveFromHart(thread);
                    MakeReady(thread);
                }
                break;
            case StopReason.Ecall:
                hart.ClearReservation();
                Machine.Clock.Advance(SyscallCostNs);
                StartSyscall(thread);
                break;
            case StopReason.Trap:
                hart.ClearReservation();
                if (!Shared.HandleTrap(thread, hart, hart.TrapCause, hart.TrapValue)) HandleTrap(thread, hart.TrapCause, hart.TrapValue);
                break;
            default:
                throw new KernelPanicException($"hart {hart.Id} stopped with {reason}, which U mode cannot cause");
        }
    }

    private long TotalInstructions()
    {
        long total = 0;
        foreach (var h in Machine.Harts) total += (long)h.InstructionsRetired;
        return total;
    }

    /// <summary>Harts run in parallel in virtual time: a quantum advances the clock by its length
    /// divided among the busy harts (1 ns per instruction on one hart).</summary>
    private void AdvanceClock(long executed)
    {
        ulong busy = (ulong)Math.Max(1, BusyHarts());
        ulong total = (ulong)executed + _timeRemainder;
        Machine.Clock.Advance(total / busy);
        _timeRemainder = total % busy;
    }

    private int BusyHarts()
    {
        int busy = 0;
        foreach (var t in _onHart) if (t != null) busy++;
        return busy;
    }

    private void PlaceOnHart(GuestThread thread, int h)
    {
        var hart = Machine.Harts[h];
        _onHart[h] = thread;
        thread.Hart = hart;
        thread.State = RunState.OnHart;
        thread.SliceLeft = TimeSlice;
        hart.State = thread.Registers;
        hart.Translator = thread.Process.AddressSpace.PageTable;
        Shared.OnPlaced(hart, thread);
        Stats.ContextSwitches++;
    }

    private void RemoveFromHart(GuestThread thread)
    {
        if (thread.Hart is not { } hart) return;
        hart.ClearReservation();
        _onHart[hart.Id] = null;
        thread.Hart = null;
    }

    public void MakeReady(GuestThread thread)
    {
        thread.State = RunState.Ready;
        _ready.Enqueue(thread);
    }

    /// <summary>Demand paging: the MMU refused an access of the thread running on <paramref name="hart"/>.</summary>
    public bool TryResolve(Hart hart, ulong va, AccessType access)
    {
        var thread = _onHart[hart.Id];
        if (thread == null) return false;
        var space = thread.Process.AddressSpace;
        try
        {
            bool resolved = space.TryFaultIn(va, access);
            if (resolved) Stats.PageFaults++;
            else if (access == AccessType.Write && FrameMappings.ResolveProtectedWrite is { } resolve) resolved = resolve(space, va);
            else resolved = Shared.TryResolveFault(thread.Process, va, access);
            return resolved;
        }
        catch (FramesExhaustedException)
        {
            // The access traps; HandleTrap then kills the thread's process for want of memory.
            _outOfMemory = thread;
            return false;
        }
    }

    private void HandleTrap(GuestThread thread, TrapCause cause, ulong value)
    {
        if (_outOfMemory == thread)
        {
            _outOfMemory = null;
            KillForMemory(thread);
            return;
        }
        int signal = cause switch
        {
            TrapCause.IllegalInstruction => Signal.SIGILL,
            TrapCause.Breakpoint => Signal.SIGTRAP,
            TrapCause.LoadMisaligned or TrapCause.StoreMisaligned or TrapCause.InstructionMisaligned => Signal.SIGBUS,
            _ => Signal.SIGSEGV,
        };
        string what = cause switch
        {
            TrapCause.IllegalInstruction => $"illegal instruction 0x{value:x8}",
            TrapCause.Breakpoint => "breakpoint",
            _ => $"{DescribeCause(cause)} at address 0x{value:x}",
        };
        // si_code: SEGV_MAPERR / BUS_ADRALN / ILL_ILLOPC / TRAP_BRKPT are all 1.
        DeliverFault(thread, signal, 1, signal == Signal.SIGILL ? thread.Registers.Pc : value, $"{Signal.Name(signal)} ({what}) at pc=0x{thread.Registers.Pc:x}");
    }

    private static string DescribeCause(TrapCause cause) => cause switch
    {
        TrapCause.LoadPageFault or TrapCause.LoadAccessFault => "load fault",
        TrapCause.StorePageFault or TrapCause.StoreAccessFault => "store fault",
        TrapCause.InstructionPageFault or TrapCause.InstructionAccessFault => "instruction fetch fault",
        TrapCause.LoadMisaligned => "misaligned load",
        TrapCause.StoreMisaligned => "misaligned store or atomic",
        TrapCause.InstructionMisaligned => "misaligned jump",
        _ => cause.ToString(),
    };

    /// <summary>Ends the whole run with the first process's exit status.</summary>
    internal void FinishRun(int status, string? message)
    {
        _result ??= new RunResult(status, message);
    }

    /// <summary>Kernel code must only ever run on the scheduler's host thread.</summary>
    [Conditional("DEBUG")]
    internal void AssertOwner()
    {
        if (Environment.CurrentManagedThreadId != _ownerThread)
            throw new InvalidOperationException("kernel code resumed on a foreign host thread");
    }
}
