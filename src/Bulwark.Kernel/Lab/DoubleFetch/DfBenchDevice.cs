using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch;

/// <summary>/dev/dfbench: a character device whose ioctls are the double-fetch lab's handlers.</summary>
public sealed class DfBenchDevice : OpenFile, IIoctlTarget
{
    public static IReadOnlyList<IDoubleFetchHandler> Handlers { get; } = DoubleFetchHandlers.All;

    public override Inode? Inode => null;

    public async ValueTask<long> Ioctl(SyscallContext context, uint request, ulong argument)
    {
        var handler = Handlers.FirstOrDefault(h => h.Request == request);
        if (handler == null) return -Errno.ENOTTY;
        return await handler.Handle(context, new KernelHeap(handler.Name, handler.Origin), argument);
    }
}
