using System.Text;
using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_AUDIT_EXECVE, request 4: a port of audit_log_single_execve_arg before the CVE-2016-6136
/// fix. arg: struct { u64 arg (user char *); u64 record (user buffer); u32 record_size (in: capacity,
/// out: record length); u32 arg_num; } (24 bytes). The record is " a&lt;arg_num&gt;=" followed by the
/// argument in double quotes, or as upper-case hex if it contains a control character, a space, a
/// double quote or a byte above 0x7e (audit_string_contains_control). Not NUL-terminated.
/// Errors: -EFAULT, -EINVAL (empty argument), -E2BIG (argument longer than 64 bytes), -ENOSPC (record
/// buffer too small; record_size is set to the size needed).</summary>
public sealed class AuditExecveHandler : IDoubleFetchHandler
{
    private const int MaxAuditLength = 64;

    public uint Request => 4;
    public string Name => "DFB_AUDIT_EXECVE";
    public string Origin => "CVE-2016-6136 (Linux kernel/auditsc.c audit_log_single_execve_arg)";
    public string Pattern =>
        "strnlen_user measures the argument; F1 copy_from_user vets it for control characters and the record " +
        "is sized on that verdict (quoted: len+2, hex: 2*len); F2 copy_from_user re-reads the argument for " +
        "logging, and the logger escapes what F2 saw. In the kernel the consequence is an audit bypass (a record " +
        "whose form F1 did not vet); modelled here as F2's hex encoding overflowing the record sized for F1's quoted form.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        var request = new byte[24];
        if (!await c.User.CopyFromUser(arg, request, 0, 24)) return -Errno.EFAULT;
        ulong argument = BitConverter.ToUInt64(request, 0), recordAddress = BitConverter.ToUInt64(request, 8);
        uint capacity = BitConverter.ToUInt32(request, 16), argNum = BitConverter.ToUInt32(request, 20);

        long len = await StrnlenUser(c, argument, MaxAuditLength + 1);
        if (len < 0) return len;
        if (len == 0) return -Errno.EINVAL;
        if (len > MaxAuditLength) return -Errno.E2BIG;

        var first = new byte[len];                       // F1: walk the argument looking for control characters
        if (!await c.User.CopyFromUser(argument, first, 0, (int)len)) return -Errno.EFAULT;
        bool hasControl = ContainsControl(first);
        var prefix = Encoding.ASCII.GetBytes($" a{argNum}=");
        int recordSize = prefix.Length + (hasControl ? 2 * (int)len : (int)len + 2);
        if (capacity < recordSize)
        {
            if (!await c.User.PutUser(arg + 16, (uint)recordSize)) return -Errno.EFAULT;
            return -Errno.ENOSPC;
        }
        var record = heap.Allocate(recordSize, "audit record buffer");
        record.Write(0, prefix);

        var second = new byte[len];                      // F2: rewalk the argument, actually logging it
        if (!await c.User.CopyFromUser(argument, second, 0, (int)len)) return -Errno.EFAULT;
        var logged = ContainsControl(second)
            ? Encoding.ASCII.GetBytes(Convert.ToHexString(second))
            : [(byte)'"', .. second, (byte)'"'];
        record.Write(prefix.Length, logged);

        int length = prefix.Length + logged.Length;
        var bytes = record.Read(0, length);
        if (!await c.User.CopyToUser(recordAddress, bytes, 0, length)) return -Errno.EFAULT;
        return await c.User.PutUser(arg + 16, (uint)length) ? 0 : -Errno.EFAULT;
    }

    private static bool ContainsControl(byte[] s) => s.Any(b => b == '"' || b < 0x21 || b > 0x7e);

    /// <summary>strnlen_user: the length of the string without its NUL, at most <paramref name="max"/>
    /// (meaning no NUL within it), or -EFAULT. Reads page-bounded chunks like the kernel's.</summary>
    private static async ValueTask<long> StrnlenUser(SyscallContext c, ulong address, int max)
    {
        var chunk = new byte[64];
        int length = 0;
        while (length < max)
        {
            int n = (int)Math.Min((ulong)Math.Min(chunk.Length, max - length), 4096 - ((address + (ulong)length) & 0xfff));
            if (!await c.User.CopyFromUser(address + (ulong)length, chunk, 0, n)) return -Errno.EFAULT;
            int nul = Array.IndexOf(chunk, (byte)0, 0, n);
            if (nul >= 0) return length + nul;
            length += n;
        }
        return max;
    }
}
