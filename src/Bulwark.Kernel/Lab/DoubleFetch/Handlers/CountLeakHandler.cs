using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_COUNT_LEAK, request 2. arg: struct { uint32_t count; uint32_t pad; uint64_t out; }.</summary>
public sealed class CountLeakHandler : IDoubleFetchHandler
{
    private const int Entries = 16;

    public uint Request => 2;
    public string Name => "DFB_COUNT_LEAK";
    public string Origin => "CVE-2016-6130 (Linux s390 sclp_ctl_ioctl_sccb), info-leak pattern";
    public string Pattern =>
        "F1 reads count and checks it against the 16-entry table; F2 reads count again and copies that many " +
        "8-byte entries to user space: an out-of-bounds read that leaks kernel memory.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        if (await c.User.GetUser<uint>(arg) is not { } count) return -Errno.EFAULT;
        if (count > Entries) return -Errno.EINVAL;
        var table = heap.Wrap(Table(), "16-entry kernel table");
        if (await c.User.GetUser<ulong>(arg + 8) is not { } output) return -Errno.EFAULT;
        if (await c.User.GetUser<uint>(arg) is not { } again) return -Errno.EFAULT;
        var entries = table.Read(0, (long)again * 8);
        return await c.User.CopyToUser(output, entries, 0, entries.Length) ? 0 : -Errno.EFAULT;
    }

    private static byte[] Table()
    {
        var table = new byte[Entries * 8];
        for (int i = 0; i < Entries; i++) BitConverter.TryWriteBytes(table.AsSpan(i * 8), 0x1000UL + (ulong)i);
        return table;
    }
}
