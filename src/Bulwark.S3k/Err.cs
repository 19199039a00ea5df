namespace Bulwark.S3k;

/// <summary>s3k's error codes, returned to a process in t0 (kernel/inc/error.h; the user library's
/// S3K_ERR_*). <see cref="Continue"/> never leaves the kernel: a revoke step says there is more to do.</summary>
public enum Err
{
    Success = 0,
    Empty = 1,
    SrcEmpty = 2,
    DstOccupied = 3,
    InvalidIndex = 4,
    InvalidDerivation = 5,
    InvalidMonitor = 6,
    InvalidPid = 7,
    InvalidState = 8,
    InvalidPmp = 9,
    InvalidSlot = 10,
    InvalidSocket = 11,
    InvalidSyscall = 12,
    InvalidRegister = 13,
    InvalidCapability = 14,
    NoReceiver = 15,
    Preempted = 16,
    Timeout = 17,
    Suspended = 18,
    /// <summary>Not s3k (issue 9, `--revoke-policy deny` and `quarantine`): the memory the call would take,
    /// give or load may still be touched by a device's DMA; nothing changed, and the caller may try again
    /// once the device's requests on it have completed (S3K_ERR_DMA_BUSY in tests/s3k-programs/revoke).</summary>
    DmaBusy = 19,
    Continue = -1,
}
