using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>An open file description, shared between file descriptors by dup and fork. Reads and
/// writes move bytes between kernel buffers and the file; the syscall layer does the user copies.</summary>
public abstract class OpenFile
{
    public const int ORdOnly = 0, OWrOnly = 1, ORdWr = 2, OAccMode = 3, OCreat = 0x40, OExcl = 0x80, OTrunc = 0x200,
        OAppend = 0x400, ONonBlock = 0x800, ODirectory = 0x10000, ONoFollow = 0x20000, OCloexec = 0x80000, OPath = 0x200000;

    public int StatusFlags { get; set; }
    public int References { get; private set; } = 1;
    public bool CanRead => (StatusFlags & OAccMode) != OWrOnly;
    public bool CanWrite => (StatusFlags & OAccMode) != ORdOnly;

    public abstract Inode? Inode { get; }

    /// <summary>Reads up to <paramref name="count"/> bytes into <paramref name="buffer"/>; returns the count or -errno.</summary>
    public virtual ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult((long)-Errno.EINVAL);

    public virtual ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult((long)-Errno.EINVAL);

    public virtual long Seek(long offset, int whence) => -Errno.ESPIPE;

    /// <summary>Positional read (pread64); -ESPIPE for unseekable files.</summary>
    public virtual long ReadAt(long offset, byte[] buffer, int count) => -Errno.ESPIPE;

    /// <summary>Positional write (pwrite64); -ESPIPE for unseekable files.</summary>
    public virtual long WriteAt(long offset, byte[] buffer, int count) => -Errno.ESPIPE;

    public virtual uint StatMode => Inode?.Mode ?? Fs.Inode.SIfChr | 0x190 /* 0620 */;
    public virtual long StatSize => Inode?.Size ?? 0;
    /// <summary>st_ino of a file without an inode in the tree (a pipe, a socket), if it has one.</summary>
    public virtual long? StatIno => null;
    public virtual bool IsTerminal => false;

    /// <summary>Which of <see cref="PollEvents"/> hold now. Files whose state can change tell the kernel
    /// (<see cref="KernelCore.ReadinessChanged"/>) so that pollers look again.</summary>
    public virtual int Poll(KernelCore kernel) => PollEvents.Default;

    /// <summary>The virtual time at which this file becomes ready by itself (a timer), or ulong.MaxValue.</summary>
    public virtual ulong ReadyAtNs => ulong.MaxValue;

    public void AddReference() => References++;

    public void Close(KernelCore kernel)
    {
        if (--References == 0) OnLastClose(kernel);
    }

    protected virtual void OnLastClose(KernelCore kernel) { }
}
