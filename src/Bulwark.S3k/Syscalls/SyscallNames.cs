namespace Bulwark.S3k.Syscalls;

/// <summary>System call numbers (syscall.h), passed in t0.</summary>
public enum Sys
{
    GetInfo = 0, RegRead = 1, RegWrite = 2, Sync = 3, Sleep = 4,
    CapRead = 5, CapMove = 6, CapDelete = 7, CapRevoke = 8, CapDerive = 9,
    PmpLoad = 10, PmpUnload = 11,
    MonSuspend = 12, MonResume = 13, MonStateGet = 14, MonYield = 15, MonRegRead = 16, MonRegWrite = 17,
    MonCapRead = 18, MonCapMove = 19, MonPmpLoad = 20, MonPmpUnload = 21,
    SockSend = 22, SockRecv = 23, SockSendRecv = 24,
    Count = 25,
}

public static class SyscallNames
{
    public static string Name(ulong number) => number < (ulong)Sys.Count ? ((Sys)number).ToString() : $"syscall{number}";
}
