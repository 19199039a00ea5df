using System.Buffers;
using Bulwark.Kernel.Fs;

namespace Bulwark.Kernel.Syscalls;

/// <summary>sendfile(out_fd, in_fd, offset, count): copies from a regular file to any file without the bytes passing
/// through user memory (cat and cp use it, and fall back to read and write on EINVAL, as for a pipe as input).</summary>
public static class SendfileSyscalls
{
    private const int Chunk = 65536;
    /// <summary>MAX_RW_COUNT: one call moves at most this many bytes.</summary>
    private const long MaxCount = 0x7ffff000;

    public static void Register(SyscallTable t) => t.Add(71, "sendfile", Sendfile);

    private static async ValueTask<long> Sendfile(SyscallContext c)
    {
        var output = FileSyscalls.File(c, c.IntArg(0));
        var input = FileSyscalls.File(c, c.IntArg(1));
        if (output == null || input == null || !input.CanRead || !output.CanWrite) return -Errno.EBADF;
        if (input is not RegularFile) return -Errno.EINVAL;
        if (output is RegularFile { OpenFlags: var flags } && (flags & OpenFile.OAppend) != 0) return -Errno.EINVAL;
        ulong offsetAddress = c.Arg(2);
        long offset = -1;
        if (offsetAddress != 0)
        {
            if (await c.User.GetUser<long>(offsetAddress) is not { } at) return -Errno.EFAULT;
            if (at < 0) return -Errno.EINVAL;
            offset = at;
        }
        long left = Math.Min(c.LongArg(3), MaxCount), total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            while (left > 0)
            {
                int want = (int)Math.Min(left, Chunk);
                // With an offset the file's own position stays where it was.
                long n = offset >= 0 ? input.ReadAt(offset + total, buffer, want) : await input.Read(c.Kernel, c.Thread, buffer, want);
                if (n <= 0)
                {
                    if (n < 0 && total == 0) return n;
                    break;
                }
                long written = await output.Write(c.Kernel, c.Thread, buffer, (int)n);
                if (written < 0)
                {
                    if (total == 0) return written;
                    break;
                }
                // Bytes read but not written go back to the input, so none is lost.
                if (written < n && offset < 0) input.Seek(written - n, 1);
                total += written;
                left -= written;
                if (written < n) break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (offsetAddress != 0 && !await c.User.PutUser(offsetAddress, offset + total)) return -Errno.EFAULT;
        return total;
    }
}
