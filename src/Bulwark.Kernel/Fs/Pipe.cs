using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Fs;

/// <summary>A pipe buffer with blocking ends: readers wait for data or for the last writer to close,
/// writers wait for room and get EPIPE (and SIGPIPE) once every reader is gone.</summary>
public sealed class Pipe
{
    public const int Capacity = 65536;
    private readonly byte[] _ring = new byte[Capacity];
    private int _head, _count;
    public int Readers { get; set; } = 1;
    public int Writers { get; set; } = 1;
    public WaitQueue ReadWaiters { get; } = new();
    public WaitQueue WriteWaiters { get; } = new();
    /// <summary>The pipe's inode number (fstat, /proc/PID/fd).</summary>
    public long Ino { get; init; }

    /// <summary>Linux's pipe_poll: readable with data, hung up once no writer is left; writable with
    /// room, an error once no reader is left.</summary>
    public int Poll(bool writeEnd)
    {
        int mask = 0;
        if (!writeEnd)
        {
            if (_count > 0) mask |= PollEvents.Readable;
            if (Writers == 0) mask |= PollEvents.Hup;
        }
        else
        {
            if (_count < Capacity) mask |= PollEvents.Writable;
            if (Readers == 0) mask |= PollEvents.Err;
        }
        return mask;
    }

    public async ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count, bool nonBlocking)
    {
        while (_count == 0)
        {
            if (Writers == 0) return 0;
            if (nonBlocking) return -Errno.EAGAIN;
            if (await kernel.Block(thread, ReadWaiters) == WakeReason.Interrupted) return -Errno.EINTR;
        }
        int n = Math.Min(count, _count);
        int first = Math.Min(n, Capacity - _head);
        Array.Copy(_ring, _head, buffer, 0, first);
        Array.Copy(_ring, 0, buffer, first, n - first);
        _head = (_head + n) % Capacity;
        _count -= n;
        kernel.WakeAll(WriteWaiters);
        kernel.ReadinessChanged();
        return n;
    }

    public async ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count, bool nonBlocking)
    {
        int written = 0;
        while (written < count)
        {
            if (Readers == 0)
            {
                kernel.SendSignal(thread, Signal.SIGPIPE);
                return written > 0 ? written : -Errno.EPIPE;
            }
            int room = Capacity - _count;
            if (room == 0)
            {
                if (nonBlocking) return written > 0 ? written : -Errno.EAGAIN;
                if (await kernel.Block(thread, WriteWaiters) == WakeReason.Interrupted) return written > 0 ? written : -Errno.EINTR;
                continue;
            }
            int n = Math.Min(room, count - written);
            int tail = (_head + _count) % Capacity;
            int first = Math.Min(n, Capacity - tail);
            Array.Copy(buffer, written, _ring, tail, first);
            Array.Copy(buffer, written + first, _ring, 0, n - first);
            _count += n;
            written += n;
            kernel.WakeAll(ReadWaiters);
            kernel.ReadinessChanged();
        }
        return written;
    }
}

public sealed class PipeEnd(Pipe pipe, bool writeEnd) : OpenFile
{
    public override Inode? Inode => null;
    public override uint StatMode => Fs.Inode.SIfIfo | 0x180 /* 0600 */;
    public override long StatSize => 0;
    public override int Poll(KernelCore kernel) => pipe.Poll(writeEnd);
    public override long? StatIno => pipe.Ino;

    public override ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count) =>
        writeEnd ? ValueTask.FromResult((long)-Errno.EBADF) : pipe.Read(kernel, thread, buffer, count, (StatusFlags & ONonBlock) != 0);

    public override ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count) =>
        !writeEnd ? ValueTask.FromResult((long)-Errno.EBADF) : pipe.Write(kernel, thread, buffer, count, (StatusFlags & ONonBlock) != 0);

    protected override void OnLastClose(KernelCore kernel)
    {
        if (writeEnd)
        {
            pipe.Writers--;
            kernel.WakeAll(pipe.ReadWaiters);
        }
        else
        {
            pipe.Readers--;
            kernel.WakeAll(pipe.WriteWaiters);
        }
        kernel.ReadinessChanged();
    }
}
