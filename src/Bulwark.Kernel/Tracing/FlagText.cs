namespace Bulwark.Kernel.Tracing;

/// <summary>The flag words and enumerated arguments of the common calls, named as strace names them
/// (asm-generic values, which riscv64 uses). A bit nobody names is shown in hex.</summary>
internal static class FlagText
{
    private const ulong OCreat = 0x40, OTmpfile = 0x400000;

    /// <summary>open/openat flags after the access mode: `O_RDONLY|O_CLOEXEC`.</summary>
    public static string Open(ulong flags)
    {
        string access = (flags & 3) switch { 0 => "O_RDONLY", 1 => "O_WRONLY", 2 => "O_RDWR", _ => "O_ACCMODE" };
        string rest = FileStatus(flags & ~3UL);
        return rest == "0" ? access : access + "|" + rest;
    }

    /// <summary>Status and descriptor flags without an access mode (pipe2, dup3, F_SETFL): 0 stays 0.</summary>
    public static string FileStatus(ulong flags) => TraceText.Flags(flags,
    [
        (OCreat, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"), (0x400, "O_APPEND"),
        (0x800, "O_NONBLOCK"), (0x101000, "O_SYNC"), (0x1000, "O_DSYNC"), (0x2000, "O_ASYNC"), (0x4000, "O_DIRECT"),
        (0x8000, "O_LARGEFILE"), (OTmpfile | 0x10000, "O_TMPFILE"), (0x10000, "O_DIRECTORY"), (0x20000, "O_NOFOLLOW"),
        (0x40000, "O_NOATIME"), (0x80000, "O_CLOEXEC"), (0x200000, "O_PATH"),
    ]);

    /// <summary>Whether open's mode argument means anything (strace prints it only then).</summary>
    public static bool OpenTakesMode(ulong flags) => (flags & (OCreat | OTmpfile)) != 0;

    public static string MmapProtection(ulong prot) => TraceText.Flags(prot,
        [(1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC"), (8, "PROT_SEM"), (0x01000000, "PROT_GROWSDOWN"), (0x02000000, "PROT_GROWSUP")],
        "PROT_NONE");

    public static string MmapFlags(ulong flags)
    {
        string type = (flags & 0xf) switch { 1 => "MAP_SHARED", 2 => "MAP_PRIVATE", 3 => "MAP_SHARED_VALIDATE", var t => $"0x{t:x}" };
        string rest = TraceText.Flags(flags & ~0xfUL,
        [
            (0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x100, "MAP_GROWSDOWN"), (0x800, "MAP_DENYWRITE"),
            (0x1000, "MAP_EXECUTABLE"), (0x2000, "MAP_LOCKED"), (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"),
            (0x10000, "MAP_NONBLOCK"), (0x20000, "MAP_STACK"), (0x40000, "MAP_HUGETLB"), (0x80000, "MAP_SYNC"),
            (0x100000, "MAP_FIXED_NOREPLACE"),
        ]);
        return rest == "0" ? type : type + "|" + rest;
    }

    /// <summary>clone's flags; the low byte is the signal sent to the parent at exit (strace ends with it).</summary>
    public static string Clone(ulong flags)
    {
        string named = TraceText.Flags(flags & ~0xffUL,
        [
            (0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (0x400, "CLONE_FILES"), (0x800, "CLONE_SIGHAND"), (0x1000, "CLONE_PIDFD"),
            (0x2000, "CLONE_PTRACE"), (0x4000, "CLONE_VFORK"), (0x8000, "CLONE_PARENT"), (0x10000, "CLONE_THREAD"),
            (0x20000, "CLONE_NEWNS"), (0x40000, "CLONE_SYSVSEM"), (0x80000, "CLONE_SETTLS"), (0x100000, "CLONE_PARENT_SETTID"),
            (0x200000, "CLONE_CHILD_CLEARTID"), (0x400000, "CLONE_DETACHED"), (0x800000, "CLONE_UNTRACED"),
            (0x1000000, "CLONE_CHILD_SETTID"), (0x2000000, "CLONE_NEWCGROUP"), (0x4000000, "CLONE_NEWUTS"),
            (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"), (0x20000000, "CLONE_NEWPID"),
            (0x40000000, "CLONE_NEWNET"), (0x80000000, "CLONE_IO"),
        ]);
        ulong signal = flags & 0xff;
        if (signal == 0) return named;
        return named == "0" ? SignalText.Name((long)signal) : named + "|" + SignalText.Name((long)signal);
    }

    public const ulong CloneSetTls = 0x80000, CloneParentSetTid = 0x100000, CloneChildTid = 0x200000 | 0x1000000;

    public static string FcntlCommand(long cmd) => cmd switch
    {
        0 => "F_DUPFD",
        1 => "F_GETFD",
        2 => "F_SETFD",
        3 => "F_GETFL",
        4 => "F_SETFL",
        5 => "F_GETLK",
        6 => "F_SETLK",
        7 => "F_SETLKW",
        8 => "F_SETOWN",
        9 => "F_GETOWN",
        10 => "F_SETSIG",
        11 => "F_GETSIG",
        36 => "F_OFD_GETLK",
        37 => "F_OFD_SETLK",
        38 => "F_OFD_SETLKW",
        1024 => "F_SETLEASE",
        1025 => "F_GETLEASE",
        1030 => "F_DUPFD_CLOEXEC",
        1031 => "F_SETPIPE_SZ",
        1032 => "F_GETPIPE_SZ",
        1033 => "F_ADD_SEALS",
        1034 => "F_GET_SEALS",
        _ => $"0x{cmd:x}",
    };

    public const int FGetFd = 1, FSetFd = 2, FGetFl = 3, FSetFl = 4, FGetLk = 5, FSetLk = 6, FSetLkW = 7, FGetOwn = 9,
        FGetSig = 11, FOfdGetLk = 36, FOfdSetLk = 37, FOfdSetLkW = 38, FGetLease = 1025, FGetPipeSize = 1032, FGetSeals = 1034;

    public static string FdFlags(ulong flags) => TraceText.Flags(flags, [(1, "FD_CLOEXEC")]);

    public static string LockType(long type) => type switch { 0 => "F_RDLCK", 1 => "F_WRLCK", 2 => "F_UNLCK", _ => type.ToString() };

    public static string Whence(long whence) => whence switch
    {
        0 => "SEEK_SET",
        1 => "SEEK_CUR",
        2 => "SEEK_END",
        3 => "SEEK_DATA",
        4 => "SEEK_HOLE",
        _ => whence.ToString(),
    };

    public static string Ioctl(ulong request) => request switch
    {
        0x5401 => "TCGETS",
        0x5402 => "TCSETS",
        0x5403 => "TCSETSW",
        0x5404 => "TCSETSF",
        0x540F => "TIOCGPGRP",
        0x5410 => "TIOCSPGRP",
        0x5413 => "TIOCGWINSZ",
        0x5414 => "TIOCSWINSZ",
        0x541B => "FIONREAD",
        0x5421 => "FIONBIO",
        0x5450 => "FIONCLEX",
        0x5451 => "FIOCLEX",
        0x5452 => "FIOASYNC",
        _ => $"0x{request:x}",
    };

    public static string Poll(ulong events) => TraceText.Flags(events,
    [
        (1, "POLLIN"), (2, "POLLPRI"), (4, "POLLOUT"), (8, "POLLERR"), (0x10, "POLLHUP"), (0x20, "POLLNVAL"),
        (0x40, "POLLRDNORM"), (0x80, "POLLRDBAND"), (0x100, "POLLWRNORM"), (0x200, "POLLWRBAND"), (0x400, "POLLMSG"),
        (0x2000, "POLLRDHUP"),
    ]);

    public static string Epoll(ulong events) => TraceText.Flags(events,
    [
        (1, "EPOLLIN"), (2, "EPOLLPRI"), (4, "EPOLLOUT"), (8, "EPOLLERR"), (0x10, "EPOLLHUP"), (0x40, "EPOLLRDNORM"),
        (0x80, "EPOLLRDBAND"), (0x100, "EPOLLWRNORM"), (0x200, "EPOLLWRBAND"), (0x400, "EPOLLMSG"), (0x2000, "EPOLLRDHUP"),
        (1UL << 28, "EPOLLEXCLUSIVE"), (1UL << 29, "EPOLLWAKEUP"), (1UL << 30, "EPOLLONESHOT"), (1UL << 31, "EPOLLET"),
    ]);

    public static string EpollOperation(long op) => op switch
    {
        1 => "EPOLL_CTL_ADD",
        2 => "EPOLL_CTL_DEL",
        3 => "EPOLL_CTL_MOD",
        _ => op.ToString(),
    };

    /// <summary>futex's operation: the command, `_PRIVATE` for process-private words, `|FUTEX_CLOCK_REALTIME`.</summary>
    public static string FutexOperation(long op)
    {
        string? command = (op & 0x7f) switch
        {
            0 => "FUTEX_WAIT",
            1 => "FUTEX_WAKE",
            2 => "FUTEX_FD",
            3 => "FUTEX_REQUEUE",
            4 => "FUTEX_CMP_REQUEUE",
            5 => "FUTEX_WAKE_OP",
            6 => "FUTEX_LOCK_PI",
            7 => "FUTEX_UNLOCK_PI",
            8 => "FUTEX_TRYLOCK_PI",
            9 => "FUTEX_WAIT_BITSET",
            10 => "FUTEX_WAKE_BITSET",
            11 => "FUTEX_WAIT_REQUEUE_PI",
            12 => "FUTEX_CMP_REQUEUE_PI",
            13 => "FUTEX_LOCK_PI2",
            _ => null,
        };
        if (command == null || (op & ~0x1ffL) != 0) return $"0x{op:x}";
        if ((op & 0x80) != 0) command += "_PRIVATE";
        if ((op & 0x100) != 0) command += "|FUTEX_CLOCK_REALTIME";
        return command;
    }

    public static string Clock(long clock) => clock switch
    {
        0 => "CLOCK_REALTIME",
        1 => "CLOCK_MONOTONIC",
        2 => "CLOCK_PROCESS_CPUTIME_ID",
        3 => "CLOCK_THREAD_CPUTIME_ID",
        4 => "CLOCK_MONOTONIC_RAW",
        5 => "CLOCK_REALTIME_COARSE",
        6 => "CLOCK_MONOTONIC_COARSE",
        7 => "CLOCK_BOOTTIME",
        8 => "CLOCK_REALTIME_ALARM",
        9 => "CLOCK_BOOTTIME_ALARM",
        11 => "CLOCK_TAI",
        _ => clock.ToString(),
    };

    public static string TimerFlags(ulong flags) => TraceText.Flags(flags, [(1, "TIMER_ABSTIME"), (2, "TFD_TIMER_CANCEL_ON_SET")]);

    public static string Access(ulong mode) => TraceText.Flags(mode, [(4, "R_OK"), (2, "W_OK"), (1, "X_OK")], "F_OK");

    /// <summary>The *at calls' AT_* flags; unlinkat's 0x200 is AT_REMOVEDIR, faccessat2's is AT_EACCESS.</summary>
    public static string At(ulong flags, string flag200 = "AT_REMOVEDIR") => TraceText.Flags(flags,
        [(0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, flag200), (0x400, "AT_SYMLINK_FOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH")]);

    public static string Madvise(long advice) => advice switch
    {
        0 => "MADV_NORMAL",
        1 => "MADV_RANDOM",
        2 => "MADV_SEQUENTIAL",
        3 => "MADV_WILLNEED",
        4 => "MADV_DONTNEED",
        8 => "MADV_FREE",
        9 => "MADV_REMOVE",
        10 => "MADV_DONTFORK",
        11 => "MADV_DOFORK",
        12 => "MADV_MERGEABLE",
        13 => "MADV_UNMERGEABLE",
        14 => "MADV_HUGEPAGE",
        15 => "MADV_NOHUGEPAGE",
        16 => "MADV_DONTDUMP",
        17 => "MADV_DODUMP",
        18 => "MADV_WIPEONFORK",
        19 => "MADV_KEEPONFORK",
        20 => "MADV_COLD",
        21 => "MADV_PAGEOUT",
        _ => advice.ToString(),
    };

    public static string Fadvise(long advice) => advice switch
    {
        0 => "POSIX_FADV_NORMAL",
        1 => "POSIX_FADV_RANDOM",
        2 => "POSIX_FADV_SEQUENTIAL",
        3 => "POSIX_FADV_WILLNEED",
        4 => "POSIX_FADV_DONTNEED",
        5 => "POSIX_FADV_NOREUSE",
        _ => advice.ToString(),
    };

    public static string Wait(ulong options) => TraceText.Flags(options,
        [(1, "WNOHANG"), (2, "WSTOPPED"), (4, "WEXITED"), (8, "WCONTINUED"), (0x1000000, "WNOWAIT"), (0x20000000, "__WNOTHREAD"), (0x40000000, "__WALL"), (0x80000000, "__WCLONE")]);

    public static string Resource(long resource) => resource switch
    {
        0 => "RLIMIT_CPU",
        1 => "RLIMIT_FSIZE",
        2 => "RLIMIT_DATA",
        3 => "RLIMIT_STACK",
        4 => "RLIMIT_CORE",
        5 => "RLIMIT_RSS",
        6 => "RLIMIT_NPROC",
        7 => "RLIMIT_NOFILE",
        8 => "RLIMIT_MEMLOCK",
        9 => "RLIMIT_AS",
        10 => "RLIMIT_LOCKS",
        11 => "RLIMIT_SIGPENDING",
        12 => "RLIMIT_MSGQUEUE",
        13 => "RLIMIT_NICE",
        14 => "RLIMIT_RTPRIO",
        15 => "RLIMIT_RTTIME",
        _ => resource.ToString(),
    };

    public static string RusageWho(long who) => who switch { 0 => "RUSAGE_SELF", -1 => "RUSAGE_CHILDREN", 1 => "RUSAGE_THREAD", _ => who.ToString() };

    public static string Random(ulong flags) => TraceText.Flags(flags, [(1, "GRND_NONBLOCK"), (2, "GRND_RANDOM"), (4, "GRND_INSECURE")]);

    public static string Flock(ulong op) => TraceText.Flags(op, [(1, "LOCK_SH"), (2, "LOCK_EX"), (4, "LOCK_NB"), (8, "LOCK_UN")]);

    public static string Rename(ulong flags) => TraceText.Flags(flags, [(1, "RENAME_NOREPLACE"), (2, "RENAME_EXCHANGE"), (4, "RENAME_WHITEOUT")]);

    public static string Fallocate(ulong mode) => TraceText.Flags(mode,
        [(1, "FALLOC_FL_KEEP_SIZE"), (2, "FALLOC_FL_PUNCH_HOLE"), (8, "FALLOC_FL_COLLAPSE_RANGE"), (0x10, "FALLOC_FL_ZERO_RANGE"), (0x20, "FALLOC_FL_INSERT_RANGE")]);

    /// <summary>eventfd2's, timerfd_create's, epoll_create1's and signalfd4's flags share open's values.</summary>
    public static string Eventfd(ulong flags) => TraceText.Flags(flags, [(1, "EFD_SEMAPHORE"), (0x800, "EFD_NONBLOCK"), (0x80000, "EFD_CLOEXEC")]);

    public static string Timerfd(ulong flags) => TraceText.Flags(flags, [(0x800, "TFD_NONBLOCK"), (0x80000, "TFD_CLOEXEC")]);

    public static string EpollCreate(ulong flags) => TraceText.Flags(flags, [(0x80000, "EPOLL_CLOEXEC")]);

    /// <summary>st_mode: the file type and the permission bits, `S_IFREG|0644`.</summary>
    public static string FileMode(uint mode)
    {
        string type = (mode & 0xf000) switch
        {
            0x1000 => "S_IFIFO",
            0x2000 => "S_IFCHR",
            0x4000 => "S_IFDIR",
            0x6000 => "S_IFBLK",
            0x8000 => "S_IFREG",
            0xa000 => "S_IFLNK",
            0xc000 => "S_IFSOCK",
            _ => "",
        };
        string bits = TraceText.Flags(mode & 0xe00, [(0x800, "S_ISUID"), (0x400, "S_ISGID"), (0x200, "S_ISVTX")], "");
        string permissions = TraceText.Octal(mode & 0x1ff);
        return string.Join('|', new[] { type, bits, permissions }.Where(p => p.Length > 0));
    }
}
