using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;
using Bulwark.Machine.Devices.Clint;
using Bulwark.Machine.Devices.Plic;
using Bulwark.Machine.Devices.TestFinisher;
using Bulwark.Machine.Devices.Uart;
using Bulwark.Machine.Devices.Virtio;
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
    /// <summary>Where the UART's output goes (the console).</summary>
    public Stream ConsoleOutput { get; init; } = Stream.Null;
    /// <summary>What the UART receives; null for nothing ever.</summary>
    public Stream? ConsoleInput { get; init; }
    /// <summary>The disk of the virtio-blk device in slot 0; none when null.</summary>
    public DiskImage? Disk { get; init; }
    /// <summary>1 (legacy, QEMU's default on this board) or 2 (modern).</summary>
    public int VirtioVersion { get; init; } = 1;
    /// <summary>How long the disk's requests take; null for <see cref="BlockLatency.Default"/>
    /// (<see cref="BlockLatency.Stalled"/>: a disk that never completes, `--disk-stall`).</summary>
    public BlockLatency? DiskLatency { get; init; }
    /// <summary>The engine that runs the harts' code; the choice changes speed only.</summary>
    public EngineKind Engine { get; init; }
    /// <summary>The block engine's entries of a block start before it is compiled.</summary>
    public int JitThreshold { get; init; } = BlockEngine.DefaultThreshold;
    /// <summary>Where the block engine compiles.</summary>
    public JitCompilation JitCompile { get; init; } = JitCompilation.Background;
}

/// <summary>The board <c>qemu-system-riscv64 -M virt -bios none</c> provides, in one place: its memory
/// map, its devices and their wiring, and its reset state.
/// <list type="table">
/// <item><term>0x00100000</term><description>test finisher (sifive_test): ends the run</description></item>
/// <item><term>0x02000000</term><description>CLINT: msip, mtimecmp per hart, mtime (10 MHz)</description></item>
/// <item><term>0x0c000000</term><description>PLIC: M and S contexts per hart; UART is source 10</description></item>
/// <item><term>0x10000000</term><description>16550A UART: the console</description></item>
/// <item><term>0x10001000 + 0x1000·i</term><description>virtio-mmio slot i (0..7), PLIC source 1+i; slot 0 holds
/// the virtio-blk disk when there is one, the others read DeviceID 0</description></item>
/// <item><term>0x80000000</term><description>RAM</description></item>
/// </list>
/// Every hart starts at 0x80000000 in M mode with a0 = mhartid (QEMU's reset vector also passes a device
/// tree in a1; Bulwark has none and passes 0), checks its accesses with its own PMP, and takes traps
/// architecturally unless a kernel is plugged in.</summary>
public sealed class QemuVirtBoard
{
    public const ulong RamBase = 0x8000_0000;
    public const ulong VirtioBase = 0x1000_1000, VirtioStride = 0x1000;
    public const int VirtioSlots = 8, VirtioIrq0 = 1;

    private Htif? _htif;
    private BoardResult? _finished;

    public QemuVirtBoard(QemuVirtOptions options)
    {
        if (options.Harts is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(options), "the virt board has 1 to 8 harts");
        Options = options;
        Machine = new Machine(options.Harts, PhysicalMemory.AtAddress(RamBase, options.MemoryBytes));
        Machine.Engine = ExecutionEngines.Create(options.Engine, options.JitThreshold, options.JitCompile);
        Machine.DeviceTrace.Writer = options.DeviceTrace;
        var bus = Machine.Bus;
        bus.Map(SifiveTestFinisher.VirtBase, new SifiveTestFinisher(Machine, (status, message) => _finished ??= new BoardResult(status, message)));
        Clint = new SifiveClint(Machine);
        bus.Map(SifiveClint.VirtBase, Clint);
        Plic = new SifivePlic(Machine);
        bus.Map(SifivePlic.VirtBase, Plic);
        Uart = new Uart16550(Machine, Plic.Source(Uart16550.VirtIrq), options.ConsoleOutput, options.ConsoleInput);
        bus.Map(Uart16550.VirtBase, Uart);
        var slots = new VirtioMmio[VirtioSlots];
        for (int i = 0; i < VirtioSlots; i++)
        {
            IVirtioDevice? device = i == 0 && options.Disk is { } disk ? new VirtioBlock(disk, options.Seed, options.DiskLatency) : null;
            slots[i] = new VirtioMmio(Machine, $"virtio{i}", options.VirtioVersion, device, Plic.Source(VirtioIrq0 + i));
            bus.Map(VirtioBase + VirtioStride * (ulong)i, slots[i]);
        }
        Virtio = slots;
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
    public SifiveClint Clint { get; }
    public SifivePlic Plic { get; }
    public Uart16550 Uart { get; }
    public IReadOnlyList<VirtioMmio> Virtio { get; }

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
        var scheduler = new HartScheduler(Machine, traps, strategy, timing)
        {
            FinishCheck = () => _finished ?? (_htif?.Poll() is { } end ? new BoardResult(end.Status, end.Message) : null),
        };
        Scheduler = scheduler;
        try { return scheduler.Run(); }
        finally { Options.ConsoleOutput.Flush(); }
    }

    /// <summary>The scheduler of the current or last run (its counters feed --stats).</summary>
    public HartScheduler? Scheduler { get; private set; }

    public long PmpFaults => Machine.Harts.Sum(h => h.Pmp?.Faults ?? 0);
}
