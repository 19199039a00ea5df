using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>A timerfd in virtual time: reads return how many times it expired since the last read,
/// waiting for the next expiry if none. Pollers wake at <see cref="ReadyAtNs"/>.</summary>
public sealed class TimerFd(bool realtime) : OpenFile
{
    private readonly WaitQueue _waiters = new();
    private ulong _next = ulong.MaxValue, _interval, _expirations;

    public override Inode? Inode => null;
    public override uint StatMode => 0x180;
    public bool Realtime => realtime;
    public override ulong ReadyAtNs => _next;

    private void Update(ulong now)
    {
        if (_next == ulong.MaxValue || now < _next) return;
        if (_interval == 0)
        {
            _expirations++;
            _next = ulong.MaxValue;
            return;
        }
        ulong ticks = 1 + (now - _next) / _interval;
        _expirations += ticks;
        _next += ticks * _interval;
    }

    public override int Poll(KernelCore kernel)
    {
        Update(kernel.NowNs);
        return _expirations > 0 ? PollEvents.In : 0;
    }

    public override async ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        if (count < 8) return -Errno.EINVAL;
        while (true)
        {
            Update(kernel.NowNs);
            if (_expirations > 0) break;
            if ((StatusFlags & ONonBlock) != 0) return -Errno.EAGAIN;
            if (await kernel.Block(thread, _waiters, _next) == WakeReason.Interrupted) return -Errno.EINTR;
        }
        BitConverter.TryWriteBytes(buffer, _expirations);
        _expirations = 0;
        return 8;
    }

    /// <summary>Time to the next expiry (0 when disarmed) and the interval.</summary>
    public (ulong Remaining, ulong Interval) Get(ulong now)
    {
        Update(now);
        return (_next == ulong.MaxValue ? 0 : _next - now, _interval);
    }

    /// <summary>Arms (at <paramref name="firstNs"/>, monotonic virtual time) or disarms (ulong.MaxValue).</summary>
    public void Set(KernelCore kernel, ulong firstNs, ulong interval)
    {
        _next = firstNs;
        _interval = firstNs == ulong.MaxValue ? 0 : interval;
        _expirations = 0;
        kernel.WakeAll(_waiters);
        kernel.ReadinessChanged();
    }
}
