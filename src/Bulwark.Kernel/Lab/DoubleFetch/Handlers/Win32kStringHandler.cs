using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_WIN32K_STRING, request 10: a port of the win32k UNICODE_STRING capture pattern that
/// Bochspwn reported in 2013 (fixed in MS13-016, MS13-017, MS13-031, MS13-036). arg: UNICODE_STRING
/// { u16 Length; u16 MaximumLength; u32 hash (out; padding in Windows); u64 Buffer; } (16 bytes); Length
/// in bytes, even, &lt;= MaximumLength and &lt;= 512; Buffer 2-byte aligned. hash is the x65599 hash of
/// the UTF-16 code units (h = h * 65599 + unit, from 0). Errors: -EFAULT, -EINVAL (odd or too long Length,
/// Length above MaximumLength, misaligned Buffer; STATUS_INVALID_PARAMETER and
/// STATUS_DATATYPE_MISALIGNMENT in Windows).</summary>
public sealed class Win32kStringHandler : IDoubleFetchHandler
{
    private const int MaxLength = 512;

    public uint Request => 10;
    public string Name => "DFB_WIN32K_STRING";
    public string Origin => "Windows win32k UNICODE_STRING capture double fetch (Bochspwn, Jurczyk & Coldwind 2013; MS13-016/017/031/036 class)";
    public string Pattern =>
        "F1 reads pus->Length (with MaximumLength and Buffer), checks it and ProbeForRead(Buffer, Length), and " +
        "allocates a Length-byte pool buffer; F2 re-reads pus->Length for RtlCopyMemory(pool, Buffer, " +
        "pus->Length) instead of using the captured copy: a pool overflow.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        if (await c.User.GetUser<ushort>(arg) is not { } length) return -Errno.EFAULT;
        if (await c.User.GetUser<ushort>(arg + 2) is not { } maximum) return -Errno.EFAULT;
        if (await c.User.GetUser<ulong>(arg + 8) is not { } buffer) return -Errno.EFAULT;
        if ((length & 1) != 0 || length > maximum || length > MaxLength) return -Errno.EINVAL;
        if ((buffer & 1) != 0) return -Errno.EINVAL;
        var pool = heap.Allocate(length, "captured UNICODE_STRING buffer (PagedPool)");

        if (await c.User.GetUser<ushort>(arg) is not { } again) return -Errno.EFAULT;
        var units = new byte[again];
        if (!await c.User.CopyFromUser(buffer, units, 0, again)) return -Errno.EFAULT;
        pool.Write(0, units);

        uint hash = 0;
        var captured = pool.Read(0, length);
        for (int i = 0; i + 1 < captured.Length; i += 2) hash = unchecked(hash * 65599 + BitConverter.ToUInt16(captured, i));
        return await c.User.PutUser(arg + 4, hash) ? 0 : -Errno.EFAULT;
    }
}
