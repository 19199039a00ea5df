using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Machine.Translation;

namespace Bulwark.Kernel.UserAccess;

/// <summary>No protection: every access reads or writes the live user pages.</summary>
public class DirectUserAccess : IUserAccessPolicy
{
    public virtual void SyscallEntered(GuestThread thread, int number) { }

    public virtual void SyscallEnded(GuestThread thread) { }

    public virtual bool Read(GuestThread thread, ulong address, Span<byte> destination, string site) =>
        ReadLive(thread.Process.AddressSpace, address, destination);

    public virtual bool Write(GuestThread thread, ulong address, ReadOnlySpan<byte> source, string site) =>
        thread.Process.AddressSpace.WriteBytes(address, source);

    public static bool ReadLive(AddressSpace space, ulong address, Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            uint pfn = space.FrameFor(address, AccessType.Read);
            if (pfn == 0) return false;
            int offset = (int)(address & 0xfff);
            int n = Math.Min(destination.Length, 4096 - offset);
            space.Memory.Frame(pfn).AsSpan(offset, n).CopyTo(destination);
            destination = destination[n..];
            address += (ulong)n;
        }
        return true;
    }
}
