using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>An eventfd: a 64-bit counter that writes add to and reads take (all of it, or one in
/// semaphore mode). A read of zero waits; a write that would pass the maximum waits.</summary>
public sealed class EventFd(ulong initial, bool semaphore) : OpenFile
{
    private const ulong Max = 0xffff_ffff_ffff_fffeUL;
    private readonly WaitQueue _waiters = new();
    private ulong _count = initial;

    public override Inode? Inode => null;
    public override uint StatMode => 0x180; // an anonymous inode, 0600
    public ulong Count => _count;

    public override int Poll(KernelCore kernel) =>
        (_count > 0 ? PollEvents.In : 0) | (_count < Max ? PollEvents.Out : 0);

    public override async ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        if (count < 8) return -Errno.EINVAL;
        while (_count == 0)
        {
            if ((StatusFlags & ONonBlock) != 0) return -Errno.EAGAIN;
            if (await kernel.Block(thread, _waiters) == WakeReason.Interrupted) return -Errno.EINTR;
        }
        ulong value = semaphore ? 1 : _count;
        _count -= value;
        BitConverter.TryWriteBytes(buffer, value);
        Changed(kernel);
        return 8;
    }

    public override async ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        if (count < 8) return -Errno.EINVAL;
        ulong value = BitConverter.ToUInt64(buffer, 0);
        if (value == ulong.MaxValue) return -Errno.EINVAL;
        while (Max - _count < value)
        {
            if ((StatusFlags & ONonBlock) != 0) return -Errno.EAGAIN;
            if (await kernel.Block(thread, _waiters) == WakeReason.Interrupted) return -Errno.EINTR;
        }
        _count += value;
        if (value > 0) Changed(kernel);
        return 8;
    }

    private void Changed(KernelCore kernel)
    {
        kernel.WakeAll(_waiters);
        kernel.ReadinessChanged();
    }
}
