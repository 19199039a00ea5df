using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.UserAccess;

/// <summary>How the kernel's user-memory accesses reach guest memory. The seam where a TOCTTOU
/// protection (or a double-fetch detector) attaches: it sees every system call begin and end and
/// every read and write the kernel makes of user memory, with the kernel site that made it.</summary>
public interface IUserAccessPolicy
{
    void SyscallEntered(GuestThread thread, int number);

    /// <summary>Called once when the call finishes, or when its thread dies inside it.</summary>
    void SyscallEnded(GuestThread thread);

    /// <summary>Copies user memory at <paramref name="address"/> into <paramref name="destination"/>; false on a fault.</summary>
    bool Read(GuestThread thread, ulong address, Span<byte> destination, string site);

    /// <summary>Copies <paramref name="source"/> to user memory; false on a fault.</summary>
    bool Write(GuestThread thread, ulong address, ReadOnlySpan<byte> source, string site);
}
