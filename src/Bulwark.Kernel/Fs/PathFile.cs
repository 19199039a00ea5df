namespace Bulwark.Kernel.Fs;

/// <summary>A descriptor opened with O_PATH: it names a node (for fstat and *at calls) and reads or writes nothing.</summary>
public sealed class PathFile(Inode inode) : OpenFile
{
    public override Inode Inode => inode;
    public override ValueTask<long> Read(KernelCore kernel, Processes.GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult((long)-Errno.EBADF);
    public override ValueTask<long> Write(KernelCore kernel, Processes.GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult((long)-Errno.EBADF);
}

/// <summary>What /proc/PID/fd/N leads to when the open file has no node in the tree (a pipe, a socket, the
/// host's standard streams): opening it gives that same open file, as opening /dev/stdin does on Linux.</summary>
public sealed class OpenFileInode(long ino, OpenFile file) : Inode(ino)
{
    public OpenFile File => file;
    public override uint Mode => file.StatMode;
    public override long Size => file.StatSize;
}
