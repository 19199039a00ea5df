using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.S3k.Kernel;

namespace Bulwark.S3k;

/// <summary>The qemu virt board with the C# s3k kernel as its trap target: what `bulwark s3k` runs.
/// The apps' ELF files are loaded at their physical addresses; process 0 starts at 0x80010000.</summary>
public sealed class S3kSystem
{
    /// <param name="board">The board; its console output also takes the kernel's own lines.</param>
    public S3kSystem(S3kConfig config, QemuVirtOptions board)
    {
        Board = new QemuVirtBoard(board with { Harts = config.Harts });
        Kernel = new S3kKernel(Board.Machine, config, board.ConsoleOutput, (hart, idle) => Board.Scheduler!.Idle(hart, idle));
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
