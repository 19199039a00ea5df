using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.UserAccess;

/// <summary>The only way system calls touch guest memory. Every access is a preemption point, so
/// other harts can run between a handler's first and second fetch, as on a real multiprocessor;
/// each access goes through the run's <see cref="IUserAccessPolicy"/> with the kernel site that made it.</summary>
public sealed class UserMemory(KernelCore kernel, GuestThread thread)
{
    private IUserAccessPolicy Policy => kernel.UserAccess;

    /// <summary>Copies <paramref name="length"/> bytes from user <paramref name="address"/>; false on a fault (EFAULT).</summary>
    public async ValueTask<bool> CopyFromUser(ulong address, byte[] destination, int offset, int length,
        [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0)
    {
        await kernel.PreemptionPoint(thread);
        return Policy.Read(thread, address, destination.AsSpan(offset, length), Site(file, member, line));
    }

    /// <summary>Copies to user <paramref name="address"/>; false on a fault (EFAULT).</summary>
    public async ValueTask<bool> CopyToUser(ulong address, byte[] source, int offset, int length,
        [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0)
    {
        await kernel.PreemptionPoint(thread);
        return Policy.Write(thread, address, source.AsSpan(offset, length), Site(file, member, line));
    }

    /// <summary>Reads one value; null on a fault.</summary>
    public async ValueTask<T?> GetUser<T>(ulong address,
        [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0) where T : unmanaged
    {
        await kernel.PreemptionPoint(thread);
        var bytes = new byte[Unsafe.SizeOf<T>()];
        if (!Policy.Read(thread, address, bytes, Site(file, member, line))) return null;
        return MemoryMarshal.Read<T>(bytes);
    }

    public async ValueTask<bool> PutUser<T>(ulong address, T value,
        [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0) where T : unmanaged
    {
        await kernel.PreemptionPoint(thread);
        var bytes = new byte[Unsafe.SizeOf<T>()];
        MemoryMarshal.Write(bytes, in value);
        return Policy.Write(thread, address, bytes, Site(file, member, line));
    }

    /// <summary>Reads a NUL-terminated string of at most <paramref name="max"/> bytes. Returns the
    /// string, or an errno: EFAULT on a fault, ENAMETOOLONG if no NUL came within the limit.</summary>
    public async ValueTask<(string? Value, int Errno)> StrncpyFromUser(ulong address, int max,
        [CallerFilePath] string file = "", [CallerMemberName] string member = "", [CallerLineNumber] int line = 0)
    {
        await kernel.PreemptionPoint(thread);
        string site = Site(file, member, line);
        var bytes = new List<byte>();
        var chunk = new byte[4096];
        while (bytes.Count < max)
        {
            int n = Math.Min(4096 - (int)(address & 0xfff), max - bytes.Count);
            if (!Policy.Read(thread, address, chunk.AsSpan(0, n), site)) return (null, Errno.EFAULT);
            int nul = Array.IndexOf(chunk, (byte)0, 0, n);
            if (nul >= 0)
            {
                bytes.AddRange(chunk.AsSpan(0, nul));
                return (Encoding.UTF8.GetString(bytes.ToArray()), 0);
            }
            bytes.AddRange(chunk.AsSpan(0, n));
            address += (ulong)n;
        }
        return (null, Errno.ENAMETOOLONG);
    }

    /// <summary>The futex key of a user word; null if the address is not mapped.</summary>
    public FutexKey? FutexKey(ulong address) => thread.Process.AddressSpace.FutexKeyFor(address);

    private static string Site(string file, string member, int line) => $"{Path.GetFileNameWithoutExtension(file)}.{member}:{line}";
}
