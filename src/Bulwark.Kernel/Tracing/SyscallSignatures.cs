namespace Bulwark.Kernel.Tracing;

/// <summary>How one argument is shown. Kinds that need another argument (a buffer's length, the flags
/// that decide whether a mode is passed) take it from a fixed neighbour, noted on each.</summary>
internal enum ArgKind : byte
{
    Int, UInt, Hex, Pointer, Fd, AtFd, Path, String, Mode,
    /// <summary>open's mode: shown only when the flags before it create a file.</summary>
    OpenMode,
    /// <summary>A buffer the call reads, its length in the next argument (write).</summary>
    InBuffer,
    /// <summary>A buffer the call fills, shown after the call with the result as length (read).</summary>
    OutBuffer,
    /// <summary>As <see cref="OutBuffer"/>, every byte escaped in hex (getrandom, as strace does).</summary>
    OutRandom,
    /// <summary>A NUL-terminated path the call fills (getcwd), shown whole.</summary>
    OutPath,
    /// <summary>iovec arrays, their count in the next argument.</summary>
    InIovec, OutIovec,
    OpenFlags, FileStatusFlags, MmapProtection, MmapFlags,
    /// <summary>clone's arguments, named as strace names them; the pointers only when the flags use them.</summary>
    CloneStack, CloneFlags, CloneParentTid, CloneTls, CloneChildTid,
    FcntlCommand,
    /// <summary>fcntl's third argument, decoded by the command before it (or left out).</summary>
    FcntlArg,
    Ioctl, Signal, SigHow, InSigset, OutSigset, InSigaction, OutSigaction,
    /// <summary>rt_sigreturn: the mask of the frame it returns through (at sp).</summary>
    SigreturnFrame,
    FutexOp,
    /// <summary>futex's arguments after the operation, as many as the operation uses.</summary>
    FutexRest,
    InTimespec, OutTimespec, OutTimeval, InItimerspec, OutItimerspec, InTimePair, Clock, TimerFlags,
    OutStat, Access, Whence, AtFlags,
    /// <summary>faccessat2's flags, where 0x200 is AT_EACCESS rather than AT_REMOVEDIR.</summary>
    AtEaccess, Madvise, Fadvise, OutWaitStatus, WaitOptions, OutFdPair,
    Resource, InRlimit, OutRlimit, InRlimit64, OutRlimit64, RusageWho, OutUtsname, OutDirents,
    EpollOp, InEpollEvent, OutEpollEvents,
    /// <summary>A CPU mask, its length in the argument before it (sched_setaffinity) / the result (sched_getaffinity).</summary>
    InCpuMask, OutCpuMask,
    PollFds, RandomFlags, FlockOp, RenameFlags, FallocateMode, EventfdFlags, TimerfdFlags, EpollCreateFlags,
    InStack, OutStack, Argv, Envp,
    /// <summary>select's fd_sets, their size in the first argument.</summary>
    FdSet,
}

/// <summary>How a result is shown besides the errno form every failing call gets.</summary>
internal enum ResultKind : byte
{
    Decimal, Hex, Octal,
    /// <summary>fcntl: flags of F_GETFD/F_GETFL named after the value.</summary>
    Fcntl,
    /// <summary>poll/ppoll: `0 (Timeout)` or the ready descriptors.</summary>
    Poll,
    /// <summary>A signal number (rt_sigtimedwait), named after the value.</summary>
    Signal,
}

/// <summary>One argument: how it is shown and which register (a0 + n) holds it.</summary>
internal readonly record struct Arg(ArgKind Kind, int Register);

/// <summary>A call's real arguments, in the order strace prints them, and its result's form.</summary>
internal sealed record SyscallSignature(Arg[] Args, ResultKind Result = ResultKind.Decimal)
{
    /// <summary>A call with no known signature: its six registers in hex (strace does the same for a number it does not know).</summary>
    public static SyscallSignature Unknown => Of(ArgKind.Hex, ArgKind.Hex, ArgKind.Hex, ArgKind.Hex, ArgKind.Hex, ArgKind.Hex);

    public static SyscallSignature Of(params ArgKind[] kinds) => new(kinds.Select((k, i) => new Arg(k, i)).ToArray());
}

/// <summary>The argument table: riscv64 (asm-generic) syscall numbers to their signatures, in the style of
/// strace's and gVisor's syscall tables. The names stay the kernel's (<see cref="Syscalls.SyscallTable"/>);
/// the kernel's implemented calls all have an entry (a test checks it), and so do common calls it does not
/// implement that static programs still make.</summary>
internal static class SyscallSignatures
{
    public static SyscallSignature? For(int number)
    {
        const ArgKind I = ArgKind.Int, U = ArgKind.UInt, H = ArgKind.Hex, P = ArgKind.Pointer, Fd = ArgKind.Fd,
            At = ArgKind.AtFd, Path = ArgKind.Path, Mode = ArgKind.Mode;
        static SyscallSignature S(params ArgKind[] kinds) => SyscallSignature.Of(kinds);
        static SyscallSignature R(ResultKind result, params ArgKind[] kinds) => SyscallSignature.Of(kinds) with { Result = result };
        return number switch
        {
            17 => S(ArgKind.OutPath, U),                                                     // getcwd
            19 => S(U, ArgKind.EventfdFlags),                                                // eventfd2
            20 => S(ArgKind.EpollCreateFlags),                                               // epoll_create1
            21 => S(Fd, ArgKind.EpollOp, Fd, ArgKind.InEpollEvent),                          // epoll_ctl
            22 => S(Fd, ArgKind.OutEpollEvents, I, I, ArgKind.InSigset, U),                  // epoll_pwait
            23 => S(Fd),                                                                     // dup
            24 => S(Fd, Fd, ArgKind.FileStatusFlags),                                        // dup3
            25 => R(ResultKind.Fcntl, Fd, ArgKind.FcntlCommand, ArgKind.FcntlArg),           // fcntl
            29 => S(Fd, ArgKind.Ioctl, H),                                                   // ioctl
            32 => S(Fd, ArgKind.FlockOp),                                                    // flock
            33 => S(At, Path, Mode, H),                                                      // mknodat
            34 => S(At, Path, Mode),                                                         // mkdirat
            35 => S(At, Path, ArgKind.AtFlags),                                                 // unlinkat
            36 => S(Path, At, Path),                                                         // symlinkat
            37 => S(At, Path, At, Path, ArgKind.AtFlags),                                    // linkat
            38 => S(At, Path, At, Path),                                                     // renameat
            45 => S(Path, I),                                                                // truncate
            46 => S(Fd, I),                                                                  // ftruncate
            47 => S(Fd, ArgKind.FallocateMode, I, I),                                        // fallocate
            48 => S(At, Path, ArgKind.Access),                                               // faccessat
            49 => S(Path),                                                                   // chdir
            50 => S(Fd),                                                                     // fchdir
            52 => S(Fd, Mode),                                                               // fchmod
            53 => S(At, Path, Mode),                                                         // fchmodat
            54 => S(At, Path, I, I, ArgKind.AtFlags),                                        // fchownat
            55 => S(Fd, I, I),                                                               // fchown
            56 => S(At, Path, ArgKind.OpenFlags, ArgKind.OpenMode),                          // openat
            57 => S(Fd),                                                                     // close
            59 => S(ArgKind.OutFdPair, ArgKind.FileStatusFlags),                             // pipe2
            61 => S(Fd, ArgKind.OutDirents, U),                                              // getdents64
            62 => S(Fd, I, ArgKind.Whence),                                                  // lseek
            63 => S(Fd, ArgKind.OutBuffer, U),                                               // read
            64 => S(Fd, ArgKind.InBuffer, U),                                                // write
            65 => S(Fd, ArgKind.OutIovec, U),                                                // readv
            66 => S(Fd, ArgKind.InIovec, U),                                                 // writev
            67 => S(Fd, ArgKind.OutBuffer, U, I),                                            // pread64
            68 => S(Fd, ArgKind.InBuffer, U, I),                                             // pwrite64
            71 => S(Fd, Fd, P, U),                                                           // sendfile
            72 => S(I, ArgKind.FdSet, ArgKind.FdSet, ArgKind.FdSet, ArgKind.InTimespec, P),  // pselect6
            73 => R(ResultKind.Poll, ArgKind.PollFds, U, ArgKind.InTimespec, ArgKind.InSigset, U), // ppoll
            78 => S(At, Path, ArgKind.OutBuffer, U),                                         // readlinkat
            79 => S(At, Path, ArgKind.OutStat, ArgKind.AtFlags),                             // newfstatat
            80 => S(Fd, ArgKind.OutStat),                                                    // fstat
            81 => S(),                                                                       // sync
            82 or 83 or 267 => S(Fd),                                                        // fsync, fdatasync, syncfs
            84 => S(Fd, I, I, H),                                                            // sync_file_range
            85 => S(ArgKind.Clock, ArgKind.TimerfdFlags),                                    // timerfd_create
            86 => S(Fd, ArgKind.TimerFlags, ArgKind.InItimerspec, ArgKind.OutItimerspec),    // timerfd_settime
            87 => S(Fd, ArgKind.OutItimerspec),                                              // timerfd_gettime
            88 => S(At, Path, ArgKind.InTimePair, ArgKind.AtFlags),                          // utimensat
            93 or 94 => S(I),                                                                // exit, exit_group
            96 => S(P),                                                                      // set_tid_address
            98 => S(P, ArgKind.FutexOp, ArgKind.FutexRest),                                  // futex
            99 => S(P, U),                                                                   // set_robust_list
            101 => S(ArgKind.InTimespec, ArgKind.OutTimespec),                               // nanosleep
            113 or 114 => S(ArgKind.Clock, ArgKind.OutTimespec),                             // clock_gettime, clock_getres
            115 => S(ArgKind.Clock, ArgKind.TimerFlags, ArgKind.InTimespec, ArgKind.OutTimespec), // clock_nanosleep
            122 => S(I, U, ArgKind.InCpuMask),                                               // sched_setaffinity
            123 => S(I, U, ArgKind.OutCpuMask),                                              // sched_getaffinity
            124 or 172 or 173 or 174 or 175 or 176 or 177 or 178 => S(),                     // sched_yield, getpid..gettid
            129 => S(I, ArgKind.Signal),                                                     // kill
            130 => S(I, ArgKind.Signal),                                                     // tkill
            131 => S(I, I, ArgKind.Signal),                                                  // tgkill
            132 => S(ArgKind.InStack, ArgKind.OutStack),                                     // sigaltstack
            133 => S(ArgKind.InSigset, U),                                                   // rt_sigsuspend
            134 => S(ArgKind.Signal, ArgKind.InSigaction, ArgKind.OutSigaction, U),          // rt_sigaction
            135 => S(ArgKind.SigHow, ArgKind.InSigset, ArgKind.OutSigset, U),                // rt_sigprocmask
            136 => S(ArgKind.OutSigset, U),                                                  // rt_sigpending
            137 => R(ResultKind.Signal, ArgKind.InSigset, P, ArgKind.InTimespec, U),         // rt_sigtimedwait
            139 => S(ArgKind.SigreturnFrame),                                                // rt_sigreturn
            146 or 144 => S(I),                                                              // setuid, setgid
            143 => S(I, I),                                                                  // setregid
            145 => S(I, I),                                                                  // setreuid
            147 => S(I, I, I),                                                               // setresuid
            148 => S(P, P, P),                                                               // getresuid
            149 => S(I, I, I),                                                               // setresgid
            150 => S(P, P, P),                                                               // getresgid
            151 => S(I),                                                                     // setfsuid
            152 => S(I),                                                                     // setfsgid
            153 => S(P),                                                                     // times
            154 => S(I, I),                                                                  // setpgid
            155 => S(I),                                                                     // getpgid
            156 => S(I),                                                                     // getsid
            157 => S(),                                                                      // setsid
            158 => S(I, P),                                                                  // getgroups
            159 => S(U, P),                                                                  // setgroups
            160 => S(ArgKind.OutUtsname),                                                    // uname
            163 => S(ArgKind.Resource, ArgKind.OutRlimit),                                   // getrlimit
            164 => S(ArgKind.Resource, ArgKind.InRlimit),                                    // setrlimit
            165 => S(ArgKind.RusageWho, P),                                                  // getrusage
            166 => R(ResultKind.Octal, Mode),                                                // umask
            167 => S(I, H, H, H, H),                                                         // prctl
            169 => S(ArgKind.OutTimeval, P),                                                 // gettimeofday
            198 => S(I, H, I),                                                               // socket (domain, type, protocol as numbers)
            199 => S(I, H, I, P),                                                            // socketpair
            200 => S(Fd, P, U),                                                              // bind
            201 => S(Fd, I),                                                                 // listen
            202 => S(Fd, P, P),                                                              // accept
            203 => S(Fd, P, U),                                                              // connect
            204 => S(Fd, P, P),                                                              // getsockname
            205 => S(Fd, P, P),                                                              // getpeername
            206 => S(Fd, ArgKind.InBuffer, U, H, P, U),                                      // sendto
            207 => S(Fd, ArgKind.OutBuffer, U, H, P, P),                                     // recvfrom
            208 => S(Fd, I, I, P, U),                                                        // setsockopt
            209 => S(Fd, I, I, P, P),                                                        // getsockopt
            210 => S(Fd, I),                                                                 // shutdown
            211 => S(Fd, P, H),                                                              // sendmsg (the msghdr not decoded)
            212 => S(Fd, P, H),                                                              // recvmsg (the msghdr not decoded)
            214 => R(ResultKind.Hex, P),                                                     // brk
            215 => S(P, U),                                                                  // munmap
            216 => R(ResultKind.Hex, P, U, U, H, P),                                         // mremap
            // clone: strace's order (stack, flags, then the pointers the flags use), not the registers'.
            220 => new SyscallSignature([new Arg(ArgKind.CloneStack, 1), new Arg(ArgKind.CloneFlags, 0), new Arg(ArgKind.CloneParentTid, 2), new Arg(ArgKind.CloneTls, 3), new Arg(ArgKind.CloneChildTid, 4)]),
            221 => S(Path, ArgKind.Argv, ArgKind.Envp),                                      // execve
            222 => R(ResultKind.Hex, P, U, ArgKind.MmapProtection, ArgKind.MmapFlags, Fd, H), // mmap
            223 => S(Fd, I, I, ArgKind.Fadvise),                                             // fadvise64
            226 => S(P, U, ArgKind.MmapProtection),                                          // mprotect
            227 => S(P, U, H),                                                               // msync
            233 => S(P, U, ArgKind.Madvise),                                                 // madvise
            242 => S(Fd, P, P, H),                                                           // accept4
            258 => S(P, U, U, P, H),                                                         // riscv_hwprobe
            259 => S(P, P, H),                                                               // riscv_flush_icache
            260 => S(I, ArgKind.OutWaitStatus, ArgKind.WaitOptions, P),                      // wait4
            261 => S(I, ArgKind.Resource, ArgKind.InRlimit64, ArgKind.OutRlimit64),          // prlimit64
            276 => S(At, Path, At, Path, ArgKind.RenameFlags),                               // renameat2
            278 => S(ArgKind.OutRandom, U, ArgKind.RandomFlags),                             // getrandom
            279 => S(ArgKind.String, H),                                                     // memfd_create
            281 => S(At, Path, ArgKind.Argv, ArgKind.Envp, ArgKind.AtFlags),                 // execveat
            291 => S(At, Path, ArgKind.AtFlags, H, P),                                       // statx
            293 => S(P, H, I, H),                                                            // rseq
            435 => S(P, U),                                                                  // clone3
            439 => S(At, Path, ArgKind.Access, ArgKind.AtEaccess),                           // faccessat2
            441 => S(Fd, ArgKind.OutEpollEvents, I, ArgKind.InTimespec, ArgKind.InSigset, U), // epoll_pwait2
            // Bulwark's own calls of the shared part (Syscalls/SegmentSyscalls.cs).
            4000 => S(),                                                                     // pwd_mode
            4001 => S(U, H, P),                                                              // pwd_segment_create
            4002 => S(I, I, H),                                                              // pwd_segment_grant
            4003 => S(I, P),                                                                 // pwd_segment_attach
            4004 => S(I, I),                                                                 // pwd_segment_revoke
            4005 => S(I),                                                                    // pwd_segment_destroy
            4006 => S(I, H, P),                                                              // pwd_get
            4007 => S(P, P, I),                                                              // pwd_report
            4008 => R(ResultKind.Hex),                                                       // pwd_page_id_map
            _ => null,
        };
    }
}
