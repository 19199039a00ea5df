using Bulwark.Machine.Devices.Clint;
using Bulwark.Machine.Devices.Plic;
using Bulwark.Machine.Devices.Uart;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.S3k.Kernel;

namespace Bulwark.S3k;

/// <summary>The qemu virt board with the C# s3k kernel as its trap target: what `bulwark s3k` runs.
/// The apps' ELF files are loaded at their physical addresses; process 0 starts at 0x80010000.</summary>
public sealed class S3kSystem
{
    /// <param name="console">Where the UART's output and the kernel's own lines go.</param>
    /// <param name="input">What the UART receives.</param>
    public S3kSystem(S3kConfig config, QemuVirtOptions board, Stream console, Stream? input = null)
    {
        Board = new QemuVirtBoard(board with { Harts = config.Harts });
        AddDevices(Board.Machine, console, input);
        Kernel = new S3kKernel(Board.Machine, config, console, (hart, idle) => Board.Scheduler!.Idle(hart, idle));
    }

    /// <summary>The devices s3k and its programs use, where the board does not have them yet: the CLINT
    /// (mtime, which processes read through PMP, and mtimecmp, the kernel's timer) and the UART with its PLIC.</summary>
    private static void AddDevices(Machine.Machine machine, Stream console, Stream? input)
    {
        if (!ClintTimer.Present(machine)) machine.Bus.Map(SifiveClint.VirtBase, new SifiveClint(machine));
        if (!machine.Bus.TryRead(Uart16550.VirtBase + 5, 1, out _))
        {
            var plic = new SifivePlic(machine);
            machine.Bus.Map(SifivePlic.VirtBase, plic);
            machine.Bus.Map(Uart16550.VirtBase, new Uart16550(machine, plic.Source(Uart16550.VirtIrq), console, input));
        }
    }

    public QemuVirtBoard Board { get; }
    public S3kKernel Kernel { get; }

    public void Load(IReadOnlyList<string> elfs) => Board.Load(elfs);

    /// <summary>Boots the kernel (its console lines first) and runs the board until the time limit.</summary>
    public BoardResult Run(ISchedulingStrategy strategy, BoardTiming timing)
    {
        Kernel.Init();
        Kernel.Start();
        return Board.Run(Kernel, strategy, timing);
    }
}
