using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_SIZE_CHECK, request 1. arg: struct { uint32_t size; uint8_t payload[]; }.</summary>
public sealed class SizeCheckHandler : IDoubleFetchHandler
{
    private const int BufferSize = 256;

    public uint Request => 1;
    public string Name => "DFB_SIZE_CHECK";
    public string Origin => "CVE-2016-6480 (Linux aacraid ioctl_send_fib)";
    public string Pattern =>
        "F1 reads the header's size and checks it against the 256-byte buffer; F2 copies the request again and " +
        "its size field, never re-checked, sizes the payload copy into the buffer: a heap overflow.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        if (await c.User.GetUser<uint>(arg) is not { } size) return -Errno.EFAULT;
        if (size > BufferSize) return -Errno.EINVAL;
        if (size < 4) return -Errno.EINVAL;
        var buffer = heap.Allocate(BufferSize, "fib buffer");
        var second = new byte[size];
        if (!await c.User.CopyFromUser(arg, second, 0, (int)size)) return -Errno.EFAULT;
        uint payloadLength = BitConverter.ToUInt32(second, 0);
        var payload = new byte[payloadLength];
        if (!await c.User.CopyFromUser(arg + 4, payload, 0, payload.Length)) return -Errno.EFAULT;
        buffer.Write(0, payload);
        return 0;
    }
}
