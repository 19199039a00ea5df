using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Fs;

/// <summary>An open file that answers ioctl requests (other files answer ENOTTY).</summary>
public interface IIoctlTarget
{
    ValueTask<long> Ioctl(SyscallContext context, uint request, ulong argument);
}
