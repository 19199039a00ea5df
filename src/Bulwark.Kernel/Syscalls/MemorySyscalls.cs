using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;

namespace Bulwark.Kernel.Syscalls;

/// <summary>brk, mmap, munmap, mprotect, madvise.</summary>
public static class MemorySyscalls
{
    private const int MapShared = 0x01, MapPrivate = 0x02, MapFixed = 0x10, MapAnonymous = 0x20, MapFixedNoReplace = 0x100000;
    private const ulong UserTop = 0x40_0000_0000UL;

    public static void Register(SyscallTable t)
    {
        t.Add(214, "brk", Brk);
        t.Add(215, "munmap", Munmap);
        t.Add(222, "mmap", Mmap);
        t.Add(226, "mprotect", Mprotect);
        t.Add(233, "madvise", Madvise);
    }

    private static ValueTask<long> Done(long v) => ValueTask.FromResult(v);

    private static ValueTask<long> Brk(SyscallContext c)
    {
        var space = c.Process.AddressSpace;
        ulong requested = c.Arg(0);
        if (requested < space.BrkStart || requested >= AddressSpace.MmapBottom + (1UL << 36)) return Done((long)space.Brk);
        ulong oldTop = AddressSpace.PageUp(space.Brk), newTop = AddressSpace.PageUp(requested);
        if (newTop > oldTop)
        {
            if (!space.IsFree(oldTop, newTop)) return Done((long)space.Brk);
            space.MapFixed(oldTop, newTop, Protection.Read | Protection.Write, false, "[heap]");
        }
        else if (newTop < oldTop) space.Unmap(newTop, oldTop);
        space.Brk = requested;
        return Done((long)requested);
    }

    private static ValueTask<long> Mmap(SyscallContext c)
    {
        ulong address = c.Arg(0), length = c.Arg(1);
        var protection = (Protection)(c.IntArg(2) & 7);
        int flags = c.IntArg(3), fd = c.IntArg(4);
        long offset = c.LongArg(5);
        if (length == 0 || length > UserTop || (address & 0xfff) != 0 && (flags & MapFixed) != 0) return Done(-Errno.EINVAL);
        if ((offset & 0xfff) != 0) return Done(-Errno.EINVAL);
        int type = flags & 3;
        if (type != MapShared && type != MapPrivate) return Done(-Errno.EINVAL);
        RegularInode? backing = null;
        if ((flags & MapAnonymous) == 0)
        {
            var file = c.Process.Files.Get(fd);
            if (file == null) return Done(-Errno.EBADF);
            if (file.Inode is not RegularInode reg) return Done(-Errno.ENODEV);
            if (type == MapShared && (protection & Protection.Write) != 0) return Done(-Errno.EACCES);
            backing = reg;
        }
        var space = c.Process.AddressSpace;
        ulong len = AddressSpace.PageUp(length);
        ulong start;
        if ((flags & (MapFixed | MapFixedNoReplace)) != 0)
        {
            start = address;
            if (start + len > UserTop || start < AddressSpace.MmapBottom) return Done(-Errno.EINVAL);
            // The shared part is the kernel's to map (segments); a private area there would break it.
            if (space.OverlapsReserved(start, start + len)) return Done(-Errno.EINVAL);
            if ((flags & MapFixedNoReplace) != 0 && !space.IsFree(start, start + len)) return Done(-Errno.EEXIST);
        }
        else
        {
            start = space.FindFree(len, AddressSpace.PageDown(address));
            if (start == 0) return Done(-Errno.ENOMEM);
        }
        space.MapFixed(start, start + len, protection, type == MapShared, backing != null ? "[file]" : "[anon]");
        if (backing != null && offset < backing.Length)
        {
            int n = (int)Math.Min((long)length, backing.Length - offset);
            if (!space.WriteBytes(start, backing.Data.AsSpan((int)offset, n)))
            {
                // A read-only mapping still needs its contents: fill it writable, then narrow it.
                space.Protect(start, start + len, Protection.Read | Protection.Write);
                space.WriteBytes(start, backing.Data.AsSpan((int)offset, n));
                space.Protect(start, start + len, protection);
            }
        }
        return Done((long)start);
    }

    private static ValueTask<long> Munmap(SyscallContext c)
    {
        ulong address = c.Arg(0), length = c.Arg(1);
        if ((address & 0xfff) != 0 || length == 0 || address + length > UserTop) return Done(-Errno.EINVAL);
        ulong end = address + AddressSpace.PageUp(length);
        // Attached segments may be unmapped (the page-id map follows); the kernel's own ranges may not.
        if (end > Protections.Passwords.SharedLayout.SharedEnd && address < Protections.Passwords.SharedLayout.ReservedEnd) return Done(-Errno.EINVAL);
        c.Process.AddressSpace.Unmap(address, end);
        c.Kernel.Shared.AfterUnmap(c.Process, address, end);
        return Done(0);
    }

    private static ValueTask<long> Mprotect(SyscallContext c)
    {
        ulong address = c.Arg(0), length = c.Arg(1);
        if ((address & 0xfff) != 0) return Done(-Errno.EINVAL);
        if (length == 0) return Done(0);
        // A segment's mapping carries its grant's rights: mprotect must not widen (or move) them.
        if (c.Process.AddressSpace.OverlapsReserved(address, address + AddressSpace.PageUp(length))) return Done(-Errno.EACCES);
        bool ok = c.Process.AddressSpace.Protect(address, address + AddressSpace.PageUp(length), (Protection)(c.IntArg(2) & 7));
        return Done(ok ? 0 : -Errno.ENOMEM);
    }

    /// <summary>MADV_DONTNEED drops private pages (they read back as zeros); other advice is accepted and ignored.</summary>
    private static ValueTask<long> Madvise(SyscallContext c)
    {
        const int MadvDontneed = 4;
        ulong address = c.Arg(0), length = AddressSpace.PageUp(c.Arg(1));
        if ((address & 0xfff) != 0) return Done(-Errno.EINVAL);
        if (c.IntArg(2) == MadvDontneed)
        {
            var space = c.Process.AddressSpace;
            for (ulong va = address; va < address + length; va += AddressSpace.PageSize)
            {
                var vma = space.Find(va);
                if (vma == null || vma.Shared) continue;
                space.UnmapPage(va);
            }
            c.Kernel.Machine.ShootDownTlbs();
        }
        return Done(0);
    }
}
