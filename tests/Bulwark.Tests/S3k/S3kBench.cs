using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.S3k;
using Bulwark.S3k.Capabilities;
using Bulwark.S3k.Kernel;
using Bulwark.S3k.Platforms;
using Bulwark.S3k.Processes;
using Bulwark.S3k.Syscalls;

namespace Bulwark.Tests.S3k;

/// <summary>A booted kernel on a board that does not run: tests make system calls for a process by
/// setting its registers and calling the syscall table, as the trap handler does, and look at the
/// capability table, the processes and the slots directly.</summary>
public sealed class S3kBench
{
    public S3kBench(int harts = 1, S3kConfig? config = null)
    {
        Config = config ?? new S3kConfig { Platform = S3kPlatform.ForHarts(harts) };
        System = new S3kSystem(Config, new QemuVirtOptions { ConsoleOutput = Console });
        Kernel.Init();
        // Process 0 runs (the scheduler would have acquired it), with time to the end of slot 31.
        P0.State = ProcState.Busy;
        Kernel.Timer.SetTimeout(0, 1_000_000_000);
    }

    public S3kConfig Config { get; }
    public MemoryStream Console { get; } = new();
    public S3kSystem System { get; }
    public S3kKernel Kernel => System.Kernel;
    public CapTable Table => Kernel.Table;
    public CapOps Ops => Kernel.Ops;
    public Process P0 => Kernel.Processes[0];
    public Process P1 => Kernel.Processes[1];
    public Process? Next { get; private set; }

    public const int Pmp = 0, Ram = 1, Uart = 2, Mtime = 3, Time0 = 4, Mon = 8, Channel = 9;

    /// <summary>Makes system call <paramref name="call"/> as process <paramref name="p"/>; returns t0.</summary>
    public Err Call(Process p, Sys call, params ulong[] args) => Call(p, (ulong)call, args);

    public Err Call(Process p, ulong call, params ulong[] args)
    {
        p[Reg.T0] = call;
        for (int i = 0; i < 8; i++) p.Regs[(int)Reg.A0 + i] = i < args.Length ? args[i] : 0;
        Next = Kernel.Syscalls.Handle(p);
        // As the trap handler does: a process that does not go on leaves the hart.
        if (Next != p) Kernel.Processes.Release(p);
        return (Err)(long)p[Reg.T0];
    }

    /// <summary>The process runs (as if the scheduler had acquired it).</summary>
    public Process Running(Process p)
    {
        p.State = ProcState.Busy;
        return p;
    }

    /// <summary>An entry of process 0 by index.</summary>
    public int E(int index, int pid = 0) => Table.Get((ulong)pid, (ulong)index);

    public Cap Cap(int index, int pid = 0) => Table.Cap(E(index, pid));

    /// <summary>The non-empty entries in derivation-list order from entry <paramref name="start"/>, as pid:index.</summary>
    public string List(int start = 0) => string.Join(" ", Table.ListFrom(start).Select(c => $"{Table.Pid(c)}:{Table.Index(c)}"));

    /// <summary>Every entry and slot: a whole-state fingerprint.</summary>
    public string Snapshot()
    {
        var caps = Enumerable.Range(0, Table.Length).Select(c => Table.IsEmpty(c) ? "-" : $"{c}={Table.Cap(c).Raw:x}@{Table.Prev(c)}/{Table.Next(c)}");
        var slots = Enumerable.Range(0, Config.Harts).SelectMany(h => Enumerable.Range(0, Config.SlotCount).Select(s => Kernel.Slots.Info(h, (ulong)s).ToString()));
        var pmp = Kernel.Processes.All.Select(p => string.Join(",", p.PmpCfg));
        return string.Join(" ", caps) + " | " + string.Join(" ", slots) + " | " + string.Join(" ", pmp);
    }

    /// <summary>Derives memory [bgn, end) (addresses) from process 0's slot src into dst.</summary>
    public Err DeriveMemory(int src, int dst, ulong bgn, ulong end, byte rwx = Rwx.All) =>
        Call(P0, Sys.CapDerive, (ulong)src, (ulong)dst, Bulwark.S3k.Capabilities.Cap.Memory(bgn, end, rwx).Raw);
}
