using Bulwark.Machine.Cpu;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Scheduling;
using Bulwark.Machine.Translation;

namespace Bulwark.Machine.Platforms.QemuVirt;

/// <summary>What a QEMU-virt-like board is built from.</summary>
public sealed record QemuVirtOptions
{
    public int Harts { get; init; } = 1;
    /// <summary>RAM at 0x80000000 (QEMU's default is 128 MiB).</summary>
    public ulong MemoryBytes { get; init; } = 128UL << 20;
    public ulong Seed { get; init; }
    public TextWriter? DeviceTrace { get; init; }
}

/// <summary>The board <c>qemu-system-riscv64 -M virt -bios none</c> provides, in one place: its memory
/// map, its devices and their wiring, and its reset state. Every hart starts at 0x80000000 in M mode
/// with a0 = mhartid (QEMU's reset vector also passes a device tree in a1; Bulwark has none and passes 0),
/// checks its accesses with its own PMP, and takes traps architecturally unless a kernel is plugged in.</summary>
public sealed class QemuVirtBoard
{
    public const ulong RamBase = 0x8000_0000;

    private Htif? _htif;

    public QemuVirtBoard(QemuVirtOptions options)
    {
        if (options.Harts is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(options), "the virt board has 1 to 8 harts");
        Options = options;
        Machine = new Machine(options.Harts, PhysicalMemory.AtAddress(RamBase, options.MemoryBytes));
        Machine.DeviceTrace.Writer = options.DeviceTrace;
        foreach (var hart in Machine.Harts)
        {
            hart.Pmp = new Pmp(hart);
            hart.Translator = hart.Pmp;
            hart.Privilege = PrivilegeMode.Machine;
            hart.State.Pc = RamBase;
            hart.State.X[10] = (ulong)hart.Id;
        }
    }

    public QemuVirtOptions Options { get; }
    public Machine Machine { get; }

    /// <summary>Loads the ELF files at their physical addresses; a <c>tohost</c> symbol enables HTIF.</summary>
    public void Load(IReadOnlyList<string> elfs)
    {
        ulong? tohost = PhysicalLoader.Load(Machine.Memory, elfs);
        if (tohost is { } address)
        {
            if ((address & 7) != 0 || !Machine.Bus.IsRam(address, 8))
                throw new Elf.ElfException($"tohost at 0x{address:x} is not an aligned 8-byte word in RAM");
            _htif = new Htif(Machine.Memory, address);
        }
    }

    /// <summary>Runs until the program reports its end (HTIF or the test finisher), or the time limit.</summary>
    public BoardResult Run(ITrapTarget traps, ISchedulingStrategy strategy, BoardTiming timing)
    {
        var scheduler = new HartScheduler(Machine, traps, strategy, timing);
        if (_htif is { } htif)
            scheduler.FinishCheck = () => htif.Poll() is { } end ? new BoardResult(end.Status, end.Message) : null;
        Scheduler = scheduler;
        return scheduler.Run();
    }

    /// <summary>The scheduler of the current or last run (its counters feed --stats).</summary>
    public HartScheduler? Scheduler { get; private set; }

    public long PmpFaults => Machine.Harts.Sum(h => h.Pmp?.Faults ?? 0);
}
