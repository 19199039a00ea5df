using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Syscalls;

/// <summary>futex: WAIT, WAKE, their BITSET forms and (CMP_)REQUEUE. The word is read live, which is
/// why a TOCTTOU protection must exempt this call.</summary>
public static class FutexSyscalls
{
    private const int Wait = 0, Wake = 1, Requeue = 3, CmpRequeue = 4, WaitBitset = 9, WakeBitset = 10;
    private const int PrivateFlag = 128, ClockRealtime = 256;

    public static void Register(SyscallTable t) => t.Add(98, "futex", Futex);

    private static async ValueTask<long> Futex(SyscallContext c)
    {
        ulong address = c.Arg(0);
        int op = c.IntArg(1) & ~(PrivateFlag | ClockRealtime);
        uint value = (uint)c.Arg(2);
        if ((address & 3) != 0) return -Errno.EINVAL;
        switch (op)
        {
            case Wait or WaitBitset:
            {
                uint mask = op == Wait ? uint.MaxValue : (uint)c.Arg(5);
                if (mask == 0) return -Errno.EINVAL;
                ulong deadline = ulong.MaxValue;
                if (c.Arg(3) != 0)
                {
                    var (ok, ns) = await TimeSyscalls.ReadTimespec(c, c.Arg(3));
                    if (!ok) return -Errno.EFAULT;
                    if (ns < 0) return -Errno.EINVAL;
                    deadline = op == Wait ? c.Kernel.NowNs + (ulong)ns : TimeSyscalls.ToMonotonic(c.Kernel, (ulong)ns, (c.IntArg(1) & ClockRealtime) != 0);
                }
                if (await c.User.GetUser<uint>(address) is not { } current) return -Errno.EFAULT;
                if (current != value) return -Errno.EAGAIN;
                if (c.User.FutexKey(address) is not { } key) return -Errno.EFAULT;
                var reason = await c.Kernel.Block(c.Thread, c.Kernel.Futexes.QueueFor(key), deadline, mask);
                return reason switch
                {
                    WakeReason.TimedOut => -Errno.ETIMEDOUT,
                    WakeReason.Interrupted => -Errno.EINTR,
                    _ => 0,
                };
            }
            case Wake or WakeBitset:
            {
                uint mask = op == Wake ? uint.MaxValue : (uint)c.Arg(5);
                if (mask == 0) return -Errno.EINVAL;
                if (c.User.FutexKey(address) is not { } key) return -Errno.EFAULT;
                var queue = c.Kernel.Futexes.Existing(key);
                return queue == null ? 0 : c.Kernel.WakeSome(queue, (int)Math.Min(value, int.MaxValue), mask);
            }
            case Requeue or CmpRequeue:
            {
                if (op == CmpRequeue)
                {
                    if (await c.User.GetUser<uint>(address) is not { } current) return -Errno.EFAULT;
                    if (current != (uint)c.Arg(5)) return -Errno.EAGAIN;
                }
                if (c.User.FutexKey(address) is not { } from || c.User.FutexKey(c.Arg(4)) is not { } to) return -Errno.EFAULT;
                var queue = c.Kernel.Futexes.Existing(from);
                if (queue == null) return 0;
                int woken = c.Kernel.WakeSome(queue, (int)Math.Min(value, int.MaxValue));
                int limit = (int)Math.Min(c.Arg(3), int.MaxValue), moved = 0;
                var target = c.Kernel.Futexes.QueueFor(to);
                foreach (var waiter in queue.Waiters.ToArray())
                {
                    if (moved >= limit) break;
                    uint tag = queue.TagOf(waiter);
                    queue.Remove(waiter);
                    target.Add(waiter, tag);
                    waiter.WaitingOn = target;
                    moved++;
                }
                return woken + moved;
            }
            default:
                return -Errno.ENOSYS;
        }
    }
}
