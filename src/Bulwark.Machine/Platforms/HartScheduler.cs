using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Machine.Platforms;

/// <summary>Why a board run ended.</summary>
public sealed record BoardResult(int ExitStatus, string? Message)
{
    public const int TimeLimitStatus = 124;
}

/// <summary>Limits and timing of a board run.</summary>
public sealed record BoardTiming
{
    /// <summary>One instruction takes 2^IcountShift ns of virtual time (QEMU's -icount).</summary>
    public int IcountShift { get; init; }
    /// <summary>The run stops with status 124 when virtual time reaches this; null for no limit.</summary>
    public ulong? MaxTimeNs { get; init; }
    /// <summary>Instructions a lone runnable hart runs before the scheduler looks again.</summary>
    public long SoloQuantum { get; init; } = 100_000;
}

/// <summary>Runs a board's harts on one host thread, deterministically: the strategy picks which hart runs
/// and for how long (only when there is a choice, so a recording holds nothing else); virtual time advances
/// with the instructions run, divided among the harts that are busy (they run in parallel); device events
/// fire at their virtual time, and a quantum ends at the next one, so a timer interrupt arrives at the
/// instruction boundary its time decides. A hart in WFI sleeps until an enabled interrupt is pending.</summary>
public sealed class HartScheduler(Machine machine, ITrapTarget traps, ISchedulingStrategy strategy, BoardTiming timing)
{
    private readonly bool[] _waiting = new bool[machine.Harts.Count];
    private readonly List<int> _candidates = [];
    private ulong _timeRemainder;
    private BoardResult? _result;

    /// <summary>Polled between quanta for a program's own report of its end (HTIF, the test finisher).</summary>
    public Func<BoardResult?>? FinishCheck { get; set; }

    public long Interrupts { get; private set; }
    public long Exceptions { get; private set; }

    /// <summary>Ends the run after the current quantum (a device's request, e.g. the test finisher).</summary>
    public void Finish(int status, string? message) => _result ??= new BoardResult(status, message);

    /// <summary>Parks <paramref name="hart"/> as if it had executed WFI, until an enabled interrupt is pending
    /// (then it is delivered to the trap target); <c>false</c> lets it run again. For a kernel written in C#
    /// whose scheduler has nothing for the hart to run: s3k's idle loop, which waits for the next time slot.</summary>
    public void Idle(Hart hart, bool idle) => _waiting[hart.Id] = idle;

    public BoardResult Run()
    {
        var clock = machine.Clock;
        while (true)
        {
            clock.FireDueEvents();
            if ((_result ?? FinishCheck?.Invoke()) is { } done) return done;
            if (timing.MaxTimeNs is { } limit && clock.Nanoseconds >= limit) return TimeLimit(limit);

            _candidates.Clear();
            for (int h = 0; h < machine.Harts.Count; h++)
            {
                var hart = machine.Harts[h];
                if (_waiting[h] && MachineTraps.WakesFromWfi(hart)) _waiting[h] = false;
                if (_waiting[h]) continue;
                int interrupt = MachineTraps.DeliverableInterrupt(hart);
                if (interrupt >= 0)
                {
                    Interrupts++;
                    traps.Interrupt(hart, interrupt);
                    // The kernel may have found nothing for this hart to run (see Idle).
                    if (_waiting[h]) continue;
                }
                _candidates.Add(h);
            }
            if (_candidates.Count == 0)
            {
                if (!SleepToNextEvent()) return _result ?? Deadlock();
                continue;
            }
            bool choice = _candidates.Count > 1;
            int pick = choice ? strategy.PickThread(_candidates) : 0;
            if ((uint)pick >= (uint)_candidates.Count) throw new InvalidOperationException($"scheduling strategy picked {pick} of {_candidates.Count} harts");
            RunHart(machine.Harts[_candidates[pick]], choice ? strategy.Quantum() : timing.SoloQuantum);
        }
    }

    /// <summary>Runs <paramref name="hart"/> for its quantum. Traps, device writes and CSR writes stop the
    /// engine but not the quantum: the platform takes the trap, fires due events and delivers a pending
    /// interrupt, and the hart goes on, as real hardware would; only WFI or the program's end give the
    /// other harts their turn early. So how often a program traps or touches a device does not change
    /// the schedule's shape.</summary>
    private void RunHart(Hart hart, long quantum)
    {
        var clock = machine.Clock;
        int busy = _candidates.Count;
        long left = quantum;
        while (left > 0)
        {
            long budget = Math.Min(left, InstructionsToDeadline(busy));
            ulong before = hart.InstructionsRetired;
            var reason = machine.Engine.Run(hart, budget);
            long executed = (long)(hart.InstructionsRetired - before);
            left -= executed;
            ulong total = ((ulong)executed << timing.IcountShift) + _timeRemainder;
            clock.Advance(total / (ulong)busy);
            _timeRemainder = total % (ulong)busy;
            switch (reason)
            {
                case StopReason.Wfi:
                    if (!MachineTraps.WakesFromWfi(hart))
                    {
                        _waiting[hart.Id] = true;
                        return;
                    }
                    break;
                case StopReason.Ecall:
                    hart.ClearReservation();
                    Exceptions++;
                    traps.Exception(hart, MachineTraps.EcallCause(hart), 0);
                    break;
                case StopReason.Trap:
                    hart.ClearReservation();
                    Exceptions++;
                    traps.Exception(hart, hart.TrapCause, hart.TrapValue);
                    break;
            }
            // A kernel above the board may have parked the hart (see Idle): its quantum ends.
            if (_waiting[hart.Id]) return;
            clock.FireDueEvents();
            if ((_result ?? FinishCheck?.Invoke()) != null) return;
            if (timing.MaxTimeNs is { } limit && clock.Nanoseconds >= limit) return;
            int interrupt = MachineTraps.DeliverableInterrupt(hart);
            if (interrupt >= 0)
            {
                Interrupts++;
                traps.Interrupt(hart, interrupt);
                if (_waiting[hart.Id]) return;
            }
        }
    }

    /// <summary>Instructions until the next device event or the time limit (at least one, so time always
    /// moves), with <paramref name="busy"/> harts sharing virtual time.</summary>
    private long InstructionsToDeadline(int busy)
    {
        var clock = machine.Clock;
        ulong deadline = clock.TryPeekNextEvent(out ulong next) ? next : ulong.MaxValue;
        if (timing.MaxTimeNs is { } limit) deadline = Math.Min(deadline, limit);
        if (deadline == ulong.MaxValue) return long.MaxValue;
        ulong span = deadline > clock.Nanoseconds ? deadline - clock.Nanoseconds : 0;
        ulong needed = ((span * (ulong)busy) + (1UL << timing.IcountShift) - 1) >> timing.IcountShift;
        return (long)Math.Clamp(needed, 1UL, (ulong)long.MaxValue);
    }

    /// <summary>Every hart waits for an interrupt: jump to the next device event, if there is one in time.</summary>
    private bool SleepToNextEvent()
    {
        var clock = machine.Clock;
        if (!clock.TryPeekNextEvent(out ulong next)) return timing.MaxTimeNs is { } limit && Jump(limit);
        if (timing.MaxTimeNs is { } max && next > max) return Jump(max);
        clock.AdvanceTo(next);
        return true;
    }

    private bool Jump(ulong ns)
    {
        machine.Clock.AdvanceTo(ns);
        return true;
    }

    private static BoardResult TimeLimit(ulong limit) =>
        new(BoardResult.TimeLimitStatus, $"virtual time limit of {limit / 1e9:0.#########} s reached (--max-time)");

    private BoardResult Deadlock() =>
        new(126, $"every hart waits for an interrupt and none can come (no timer or device event is pending) at {machine.Clock.Nanoseconds / 1e9:0.#########} s of virtual time");
}
