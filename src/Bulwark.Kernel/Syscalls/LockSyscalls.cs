using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Syscalls;

/// <summary>File locks as databases use them: fcntl record locks (F_GETLK/F_SETLK/F_SETLKW and the OFD forms)
/// and flock, with Linux's conflict, blocking and deadlock rules (<see cref="FileLocks"/>).</summary>
public static class LockSyscalls
{
    private const int FGetlk = 5, FSetlk = 6, FSetlkw = 7, FOfdGetlk = 36, FOfdSetlk = 37, FOfdSetlkw = 38;
    private const int LockSh = 1, LockEx = 2, LockNb = 4, LockUn = 8;
    private const int FlockSize = 32;

    public static void Register(SyscallTable t) => t.Add(32, "flock", Flock);

    public static bool IsLockCommand(int command) => command is FGetlk or FSetlk or FSetlkw or FOfdGetlk or FOfdSetlk or FOfdSetlkw;

    /// <summary>fcntl(fd, F_*LK*, struct flock *): type, whence, start, len, pid (asm-generic, 32 bytes).</summary>
    public static async ValueTask<long> Fcntl(SyscallContext c)
    {
        int command = c.IntArg(1);
        ulong address = c.Arg(2);
        if (FileSyscalls.File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
        var raw = new byte[FlockSize];
        if (!await c.User.CopyFromUser(address, raw, 0, FlockSize)) return -Errno.EFAULT;
        short type = BitConverter.ToInt16(raw, 0), whence = BitConverter.ToInt16(raw, 2);
        long start = BitConverter.ToInt64(raw, 8), length = BitConverter.ToInt64(raw, 16);
        int pid = BitConverter.ToInt32(raw, 24);
        bool ofd = command is FOfdGetlk or FOfdSetlk or FOfdSetlkw;
        if (ofd && pid != 0) return -Errno.EINVAL;
        if (type is not (FileLocks.ReadLock or FileLocks.WriteLock or FileLocks.Unlock)) return -Errno.EINVAL;
        if (file is not RegularFile { Inode: RegularInode inode } regular) return -Errno.EINVAL;

        long origin = whence switch
        {
            0 => 0,
            1 => regular.Seek(0, 1),
            2 => inode.Length,
            _ => -1,
        };
        if (origin < 0) return -Errno.EINVAL;
        // l_len < 0 covers the bytes before l_start; 0 means to the end of the file, whatever it grows to.
        long first = origin + start, last;
        if (length > 0) last = first + length - 1;
        else if (length == 0) last = long.MaxValue;
        else
        {
            last = first - 1;
            first += length;
        }
        if (first < 0 || last < first) return -Errno.EINVAL;

        var locks = FileLocks.Of(c.Kernel, inode);
        object owner = ofd ? file : c.Process;
        if (command is FGetlk or FOfdGetlk)
        {
            if (type == FileLocks.Unlock) return -Errno.EINVAL;
            var conflict = locks.Conflict(owner, type, first, last);
            var answer = new byte[FlockSize];
            if (conflict == null) BitConverter.TryWriteBytes(answer, FileLocks.Unlock);
            else
            {
                BitConverter.TryWriteBytes(answer, conflict.Type);
                BitConverter.TryWriteBytes(answer.AsSpan(8), conflict.Start);
                BitConverter.TryWriteBytes(answer.AsSpan(16), conflict.End == long.MaxValue ? 0 : conflict.End - conflict.Start + 1);
                BitConverter.TryWriteBytes(answer.AsSpan(24), conflict.Ofd ? -1 : conflict.Pid);
            }
            if (conflict == null)
            {
                // Linux leaves the rest of the structure as the caller wrote it.
                Array.Copy(raw, 2, answer, 2, FlockSize - 2);
            }
            return await c.User.CopyToUser(address, answer, 0, FlockSize) ? 0 : -Errno.EFAULT;
        }

        if (type == FileLocks.ReadLock && !file.CanRead) return -Errno.EBADF;
        if (type == FileLocks.WriteLock && !file.CanWrite) return -Errno.EBADF;
        bool wait = command is FSetlkw or FOfdSetlkw;
        var kernel = c.Kernel;
        while (type != FileLocks.Unlock && locks.Conflict(owner, type, first, last) is { } holder)
        {
            if (!wait) return -Errno.EAGAIN;
            if (!ofd && !holder.Ofd && kernel.LockWaitWouldDeadlock(owner, holder.Owner)) return -Errno.EDEADLK;
            kernel.LockWaitBegins(owner, holder.Owner);
            var reason = await kernel.Block(c.Thread, locks.Waiters);
            kernel.LockWaitEnds(owner);
            if (reason == WakeReason.Interrupted) return -Errno.EINTR;
            if (c.Process.Files.Get(c.IntArg(0)) != file) return -Errno.EBADF;
        }
        locks.Set(owner, ofd, type, first, last, c.Process.Pid);
        return 0;
    }

    /// <summary>flock(fd, LOCK_SH|LOCK_EX|LOCK_UN [| LOCK_NB]): whole-file locks of the open file description;
    /// converting a lock first drops it, as Linux does.</summary>
    private static async ValueTask<long> Flock(SyscallContext c)
    {
        int op = c.IntArg(1);
        if (FileSyscalls.File(c, c.IntArg(0)) is not { } file) return -Errno.EBADF;
        int kind = op & ~LockNb;
        if (kind is not (LockSh or LockEx or LockUn)) return -Errno.EINVAL;
        if (file.Inode is not RegularInode inode) return file.Inode is DirectoryInode ? 0 : -Errno.EINVAL;
        var locks = FileLocks.Of(c.Kernel, inode);
        if (kind == LockUn)
        {
            locks.ReleaseFlock(file);
            return 0;
        }
        bool exclusive = kind == LockEx;
        if (locks.FlockConflict(file, exclusive)) locks.ReleaseFlock(file);
        while (locks.FlockConflict(file, exclusive))
        {
            if ((op & LockNb) != 0) return -Errno.EWOULDBLOCK;
            if (await c.Kernel.Block(c.Thread, locks.Waiters) == WakeReason.Interrupted) return -Errno.EINTR;
        }
        locks.SetFlock(file, exclusive);
        return 0;
    }
}
