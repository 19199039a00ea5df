namespace Bulwark.Kernel.Syscalls;

/// <summary>Names of riscv64 Linux syscalls that Bulwark does not implement, for ENOSYS reports.</summary>
public static class SyscallNames
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [5] = "setxattr", [17] = "getcwd", [19] = "eventfd2", [20] = "epoll_create1", [21] = "epoll_ctl", [22] = "epoll_pwait",
        [23] = "dup", [25] = "fcntl", [26] = "inotify_init1", [29] = "ioctl", [32] = "flock", [33] = "mknodat", [34] = "mkdirat",
        [35] = "unlinkat", [37] = "linkat", [43] = "statfs", [44] = "fstatfs", [46] = "ftruncate",
        [47] = "fallocate", [48] = "faccessat", [49] = "chdir", [50] = "fchdir", [52] = "fchmod", [53] = "fchmodat",
        [54] = "fchownat", [55] = "fchown", [69] = "preadv", [70] = "pwritev",
        [71] = "sendfile", [72] = "pselect6", [73] = "ppoll", [74] = "signalfd4", [76] = "splice", [77] = "tee",
        [81] = "sync", [82] = "fsync", [83] = "fdatasync", [84] = "sync_file_range", [85] = "timerfd_create",
        [88] = "utimensat", [90] = "capget", [91] = "capset", [92] = "personality", [95] = "waitid", [97] = "unshare",
        [100] = "get_robust_list", [102] = "getitimer", [103] = "setitimer", [104] = "kexec_load", [106] = "init_module",
        [107] = "timer_create", [112] = "clock_settime", [116] = "syslog", [117] = "ptrace", [118] = "sched_setparam",
        [119] = "sched_setscheduler", [120] = "sched_getscheduler", [121] = "sched_getparam", [122] = "sched_setaffinity",
        [123] = "sched_getaffinity", [125] = "sched_get_priority_max", [126] = "sched_get_priority_min",
        [132] = "sigaltstack", [133] = "rt_sigsuspend", [136] = "rt_sigpending", [137] = "rt_sigtimedwait",
        [138] = "rt_sigqueueinfo", [140] = "setpriority", [141] = "getpriority", [142] = "reboot", [143] = "setregid",
        [144] = "setgid", [145] = "setreuid", [146] = "setuid", [147] = "setresuid", [148] = "getresuid",
        [149] = "setresgid", [150] = "getresgid", [153] = "times", [154] = "setpgid", [155] = "getpgid", [156] = "getsid",
        [157] = "setsid", [158] = "getgroups", [159] = "setgroups", [161] = "sethostname", [163] = "getrlimit",
        [164] = "setrlimit", [165] = "getrusage", [166] = "umask", [167] = "prctl", [168] = "getcpu", [170] = "settimeofday",
        [171] = "adjtimex", [179] = "sysinfo", [180] = "mq_open", [186] = "msgget", [190] = "semget", [194] = "shmget",
        [196] = "shmat", [198] = "socket", [199] = "socketpair", [200] = "bind", [201] = "listen", [202] = "accept",
        [203] = "connect", [204] = "getsockname", [205] = "getpeername", [206] = "sendto", [207] = "recvfrom",
        [208] = "setsockopt", [209] = "getsockopt", [210] = "shutdown", [211] = "sendmsg", [212] = "recvmsg",
        [213] = "readahead", [216] = "mremap", [217] = "add_key", [221] = "execve", [223] = "fadvise64",
        [224] = "swapon", [227] = "msync", [228] = "mlock", [229] = "munlock", [232] = "mincore", [234] = "remap_file_pages",
        [235] = "mbind", [240] = "rt_tgsigqueueinfo", [241] = "perf_event_open", [242] = "accept4", [243] = "recvmmsg",
        [258] = "riscv_hwprobe", [259] = "riscv_flush_icache", [262] = "fanotify_init", [264] = "name_to_handle_at",
        [265] = "open_by_handle_at", [267] = "syncfs", [268] = "setns", [269] = "sendmmsg", [270] = "process_vm_readv",
        [271] = "process_vm_writev", [277] = "seccomp", [279] = "memfd_create", [280] = "bpf",
        [281] = "execveat", [282] = "userfaultfd", [283] = "membarrier", [284] = "mlock2", [285] = "copy_file_range",
        [286] = "preadv2", [287] = "pwritev2", [291] = "statx", [293] = "rseq", [424] = "pidfd_send_signal",
        [425] = "io_uring_setup", [434] = "pidfd_open", [435] = "clone3", [436] = "close_range", [437] = "openat2",
        [439] = "faccessat2",
    };

    /// <summary>The name of a syscall, implemented or not.</summary>
    public static string Describe(SyscallTable table, int number)
    {
        table.TryGet(number, out string name, out _);
        return name;
    }

    public static string Of(int number) => Names.TryGetValue(number, out var name) ? name : $"syscall_{number}";
}
