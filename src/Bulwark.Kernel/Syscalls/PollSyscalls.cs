using System.Buffers.Binary;
using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>ppoll and pselect6 (glibc's poll, select and pause use them) on any file, in virtual time.</summary>
public static class PollSyscalls
{
    private const int SelectIn = PollEvents.In | PollEvents.RdNorm | PollEvents.RdBand | PollEvents.Hup | PollEvents.Err;
    private const int SelectOut = PollEvents.Out | PollEvents.WrNorm | PollEvents.WrBand | PollEvents.Err;
    private const int SelectEx = PollEvents.Pri;

    public static void Register(SyscallTable t)
    {
        t.Add(72, "pselect6", Pselect6);
        t.Add(73, "ppoll", Ppoll);
    }

    /// <summary>ppoll(fds, nfds, timeout, sigmask, sigsetsize); pause() is ppoll(NULL, 0, NULL, NULL).</summary>
    private static async ValueTask<long> Ppoll(SyscallContext c)
    {
        ulong fds = c.Arg(0), nfds = c.Arg(1), timeout = c.Arg(2);
        var (error, deadline) = await WaitingCalls.Deadline(c, timeout);
        if (error < 0) return error;
        if (nfds > (ulong)c.Process.Files.Limit) return -Errno.EINVAL;
        var entries = new byte[(int)nfds * 8];
        if (nfds > 0 && !await c.User.CopyFromUser(fds, entries, 0, entries.Length)) return -Errno.EFAULT;
        error = await WaitingCalls.InstallMask(c, c.Arg(3), c.Arg(4));
        if (error < 0) return error;
        var kernel = c.Kernel;
        var files = c.Process.Files;
        long result = await WaitingCalls.Wait(c, deadline, nfds > 0, () =>
        {
            int ready = 0;
            ulong wakeAt = ulong.MaxValue;
            for (int i = 0; i < entries.Length; i += 8)
            {
                int fd = BinaryPrimitives.ReadInt32LittleEndian(entries.AsSpan(i));
                int events = BinaryPrimitives.ReadUInt16LittleEndian(entries.AsSpan(i + 4));
                int revents = 0;
                if (fd >= 0)
                {
                    if (files.Get(fd) is not { } file) revents = PollEvents.Nval;
                    else
                    {
                        revents = file.Poll(kernel) & (events | PollEvents.Always);
                        if (revents == 0) wakeAt = Math.Min(wakeAt, file.ReadyAtNs);
                    }
                }
                BinaryPrimitives.WriteUInt16LittleEndian(entries.AsSpan(i + 6), (ushort)revents);
                if (revents != 0) ready++;
            }
            return (ready, wakeAt);
        });
        if (nfds > 0 && !await c.User.CopyToUser(fds, entries, 0, entries.Length) && result >= 0) result = -Errno.EFAULT;
        if (deadline != ulong.MaxValue) await WaitingCalls.WriteRemaining(c, timeout, deadline);
        return WaitingCalls.Finish(c.Thread, result);
    }

    /// <summary>pselect6(n, readfds, writefds, exceptfds, timeout, {sigmask, sigsetsize}).</summary>
    private static async ValueTask<long> Pselect6(SyscallContext c)
    {
        int n = c.IntArg(0);
        ulong inAddress = c.Arg(1), outAddress = c.Arg(2), exAddress = c.Arg(3), timeout = c.Arg(4), maskArg = c.Arg(5);
        if (n < 0) return -Errno.EINVAL;
        var (error, deadline) = await WaitingCalls.Deadline(c, timeout);
        if (error < 0) return error;
        var files = c.Process.Files;
        n = Math.Min(n, files.Limit);
        int bytes = (n + 63) / 64 * 8;
        var sets = new byte[3][];
        ulong[] addresses = [inAddress, outAddress, exAddress];
        for (int s = 0; s < 3; s++)
        {
            sets[s] = new byte[bytes];
            if (addresses[s] != 0 && bytes > 0 && !await c.User.CopyFromUser(addresses[s], sets[s], 0, bytes)) return -Errno.EFAULT;
        }
        static bool IsSet(byte[] set, int fd) => (set[fd >> 3] & (1 << (fd & 7))) != 0;
        for (int fd = 0; fd < n; fd++)
            if ((IsSet(sets[0], fd) || IsSet(sets[1], fd) || IsSet(sets[2], fd)) && files.Get(fd) == null) return -Errno.EBADF;
        if (maskArg != 0)
        {
            var raw = new byte[16];
            if (!await c.User.CopyFromUser(maskArg, raw, 0, 16)) return -Errno.EFAULT;
            error = await WaitingCalls.InstallMask(c, BitConverter.ToUInt64(raw, 0), BitConverter.ToUInt64(raw, 8));
            if (error < 0) return error;
        }
        var results = new byte[3][];
        for (int s = 0; s < 3; s++) results[s] = new byte[bytes];
        var kernel = c.Kernel;
        bool any = Enumerable.Range(0, n).Any(fd => IsSet(sets[0], fd) || IsSet(sets[1], fd) || IsSet(sets[2], fd));
        long result = await WaitingCalls.Wait(c, deadline, any, () =>
        {
            int ready = 0;
            ulong wakeAt = ulong.MaxValue;
            for (int s = 0; s < 3; s++) Array.Clear(results[s]);
            for (int fd = 0; fd < n; fd++)
            {
                bool wantIn = IsSet(sets[0], fd), wantOut = IsSet(sets[1], fd), wantEx = IsSet(sets[2], fd);
                if (!(wantIn || wantOut || wantEx) || files.Get(fd) is not { } file) continue;
                int mask = file.Poll(kernel);
                bool hit = false;
                if (wantIn && (mask & SelectIn) != 0) { results[0][fd >> 3] |= (byte)(1 << (fd & 7)); ready++; hit = true; }
                if (wantOut && (mask & SelectOut) != 0) { results[1][fd >> 3] |= (byte)(1 << (fd & 7)); ready++; hit = true; }
                if (wantEx && (mask & SelectEx) != 0) { results[2][fd >> 3] |= (byte)(1 << (fd & 7)); ready++; hit = true; }
                if (!hit) wakeAt = Math.Min(wakeAt, file.ReadyAtNs);
            }
            return (ready, wakeAt);
        });
        if (result >= 0)
            for (int s = 0; s < 3; s++)
                if (addresses[s] != 0 && bytes > 0 && !await c.User.CopyToUser(addresses[s], results[s], 0, bytes)) result = -Errno.EFAULT;
        if (deadline != ulong.MaxValue) await WaitingCalls.WriteRemaining(c, timeout, deadline);
        return WaitingCalls.Finish(c.Thread, result);
    }
}
