using System.Runtime.InteropServices;
using System.Text;
using Bulwark.Kernel.Processes;
using Bulwark.Machine.Mmu;

namespace Bulwark.Kernel.UserAccess;

/// <summary>The only way system calls touch guest memory. Every access is a preemption point, so
/// other harts can run between a handler's first and second fetch, as on a real multiprocessor;
/// it is also the seam where a TOCTTOU protection attaches.</summary>
public sealed class UserMemory(KernelCore kernel, GuestThread thread)
{
    /// <summary>Copies <paramref name="length"/> bytes from user <paramref name="address"/>; false on a fault (EFAULT).</summary>
    public async ValueTask<bool> CopyFromUser(ulong address, byte[] destination, int offset, int length)
    {
        await kernel.PreemptionPoint(thread);
        return Transfer(address, destination.AsSpan(offset, length), AccessType.Read);
    }

    /// <summary>Copies to user <paramref name="address"/>; false on a fault (EFAULT).</summary>
    public async ValueTask<bool> CopyToUser(ulong address, byte[] source, int offset, int length)
    {
        await kernel.PreemptionPoint(thread);
        return Transfer(address, source.AsSpan(offset, length), AccessType.Write);
    }

    /// <summary>Reads one value; null on a fault.</summary>
    public async ValueTask<T?> GetUser<T>(ulong address) where T : unmanaged
    {
        await kernel.PreemptionPoint(thread);
        var bytes = new byte[Marshal.SizeOf<T>()];
        if (!Transfer(address, bytes, AccessType.Read)) return null;
        return MemoryMarshal.Read<T>(bytes);
    }

    public async ValueTask<bool> PutUser<T>(ulong address, T value) where T : unmanaged
    {
        await kernel.PreemptionPoint(thread);
        var bytes = new byte[Marshal.SizeOf<T>()];
        MemoryMarshal.Write(bytes, in value);
        return Transfer(address, bytes, AccessType.Write);
    }

    /// <summary>Reads a NUL-terminated string of at most <paramref name="max"/> bytes. Returns the
    /// string, or an errno: EFAULT on a fault, ENAMETOOLONG if no NUL came within the limit.</summary>
    public async ValueTask<(string? Value, int Errno)> StrncpyFromUser(ulong address, int max)
    {
        await kernel.PreemptionPoint(thread);
        var bytes = new List<byte>();
        var space = thread.Process.AddressSpace;
        while (bytes.Count < max)
        {
            uint pfn = space.FrameFor(address, AccessType.Read);
            if (pfn == 0) return (null, Errno.EFAULT);
            var frame = space.Memory.Frame(pfn);
            for (int i = (int)(address & 0xfff); i < frame.Length && bytes.Count < max; i++, address++)
            {
                if (frame[i] == 0) return (Encoding.UTF8.GetString(bytes.ToArray()), 0);
                bytes.Add(frame[i]);
            }
        }
        return (null, Errno.ENAMETOOLONG);
    }

    /// <summary>The futex key of a user word; null if the address is not mapped.</summary>
    public FutexKey? FutexKey(ulong address) => thread.Process.AddressSpace.FutexKeyFor(address);

    private bool Transfer(ulong address, Span<byte> data, AccessType access)
    {
        var space = thread.Process.AddressSpace;
        var memory = space.Memory;
        while (data.Length > 0)
        {
            uint pfn = space.FrameFor(address, access);
            if (pfn == 0) return false;
            int offset = (int)(address & 0xfff);
            int n = Math.Min(data.Length, 4096 - offset);
            var frame = memory.Frame(pfn).AsSpan(offset, n);
            if (access == AccessType.Write)
            {
                memory.BeforeWrite(pfn, offset, n);
                data[..n].CopyTo(frame);
            }
            else frame.CopyTo(data);
            data = data[n..];
            address += (ulong)n;
        }
        return true;
    }
}
