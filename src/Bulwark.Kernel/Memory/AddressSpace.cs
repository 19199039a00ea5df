using Bulwark.Machine.Memory;
using Bulwark.Machine.Translation;

namespace Bulwark.Kernel.Memory;

/// <summary>A process's virtual memory: its areas (VMAs) and the Sv39 page table that backs them.
/// Pages are allocated on first touch; frames of shared areas are reference-counted.</summary>
public sealed class AddressSpace
{
    public const ulong PageSize = PhysicalMemory.PageSize;
    /// <summary>Top of the user stack; mmap allocates downwards from below the stack area.</summary>
    public const ulong StackTop = 0x3f_ffff_0000UL;
    public const ulong StackLimit = 8UL << 20;
    public const ulong MmapTop = StackTop - StackLimit - 0x1000_0000UL;
    public const ulong MmapBottom = 0x10_0000UL;

    private readonly Bulwark.Machine.Machine _machine;
    private readonly List<Vma> _vmas = [];

    public AddressSpace(Bulwark.Machine.Machine machine, FrameMappings mappings)
    {
        _machine = machine;
        Mappings = mappings;
        PageTable = new Sv39PageTable(machine.Memory);
    }

    public FrameMappings Mappings { get; }

    public Sv39PageTable PageTable { get; }
    public IReadOnlyList<Vma> Vmas => _vmas;
    /// <summary>A range no private mapping may take (the shared part, Protections/Passwords): mmap
    /// never places an area there and brk never grows into it.</summary>
    public (ulong Start, ulong End) Reserved { get; set; }
    public ulong BrkStart { get; set; }
    public ulong Brk { get; set; }
    public PhysicalMemory Memory => _machine.Memory;

    public static ulong PageDown(ulong v) => v & ~(PageSize - 1);
    public static ulong PageUp(ulong v) => (v + PageSize - 1) & ~(PageSize - 1);

    public Vma? Find(ulong va)
    {
        foreach (var v in _vmas) if (v.Contains(va)) return v;
        return null;
    }

    /// <summary>Adds an area at a fixed, page-aligned range, replacing whatever was there.</summary>
    public void MapFixed(ulong start, ulong end, Protection protection, bool shared, string name)
    {
        Unmap(start, end);
        var backing = shared ? new SharedMemory(Mappings, (end - start) / PageSize) : null;
        Add(new Vma(start, end, protection, shared, name, backing));
    }

    /// <summary>Finds a free range of <paramref name="length"/> bytes, searching down from the mmap top.</summary>
    public ulong FindFree(ulong length, ulong hint = 0)
    {
        if (hint != 0 && hint + length <= MmapTop && IsFree(hint, hint + length)) return hint;
        ulong top = MmapTop;
        int i = _vmas.Count - 1;
        bool reservedLeft = Reserved.End > Reserved.Start;
        // Occupied ranges from the highest start down: the areas, and the reserved range in its turn.
        while (i >= 0 || reservedLeft)
        {
            ulong start, end;
            if (reservedLeft && (i < 0 || Reserved.Start >= _vmas[i].Start))
            {
                (start, end) = Reserved;
                reservedLeft = false;
            }
            else
            {
                start = _vmas[i].Start;
                end = _vmas[i].End;
                i--;
            }
            if (start >= top) continue;
            if (top >= end + length && top - length >= MmapBottom) return top - length;
            top = start;
        }
        if (top >= MmapBottom + length) return top - length;
        return 0;
    }

    private void Add(Vma area)
    {
        _vmas.Add(Attach(area));
        _vmas.Sort((a, b) => a.Start.CompareTo(b.Start));
    }

    private void Insert(int index, Vma area) => _vmas.Insert(index, Attach(area));

    private static Vma Attach(Vma area)
    {
        area.Attached();
        return area;
    }

    public bool IsFree(ulong start, ulong end) => !OverlapsReserved(start, end) && !_vmas.Any(v => v.Start < end && start < v.End);

    public bool OverlapsReserved(ulong start, ulong end) => Reserved.Start < end && start < Reserved.End;

    /// <summary>Maps an area of existing shared memory (a segment of the shared part) at a fixed range,
    /// replacing whatever was there.</summary>
    public void MapShared(ulong start, ulong end, Protection protection, SharedMemory backing, string name)
    {
        Unmap(start, end);
        Add(new Vma(start, end, protection, true, name, backing));
    }

    /// <summary>Maps one kernel-chosen frame outside any area (the page-id map); the caller has taken the
    /// reference that <see cref="UnmapPage"/> will release.</summary>
    public void MapFrame(ulong va, uint pfn, PteFlags flags) => MapPage(va, pfn, flags);

    /// <summary>Removes [start, end), splitting areas and releasing their frames.</summary>
    public void Unmap(ulong start, ulong end)
    {
        bool changed = false;
        for (int i = 0; i < _vmas.Count; i++)
        {
            var v = _vmas[i];
            if (v.End <= start || v.Start >= end) continue;
            changed = true;
            for (ulong va = Math.Max(v.Start, start); va < Math.Min(v.End, end); va += PageSize) UnmapPage(va);
            _vmas.RemoveAt(i);
            int at = i;
            if (v.Start < start) Insert(at++, v.Slice(v.Start, start));
            if (v.End > end) Insert(at++, v.Slice(end, v.End));
            v.Detached();
            i = at - 1;
        }
        if (changed) _machine.ShootDownTlbs();
    }

    /// <summary>Changes the protection of [start, end); false if part of it is unmapped.</summary>
    public bool Protect(ulong start, ulong end, Protection protection)
    {
        for (ulong va = start; va < end;)
        {
            var v = Find(va);
            if (v == null) return false;
            va = v.End;
        }
        var pieces = new List<Vma>();
        foreach (var v in _vmas)
        {
            if (v.End <= start || v.Start >= end) { pieces.Add(v); continue; }
            if (v.Start < start) pieces.Add(Attach(v.Slice(v.Start, start)));
            var middle = Attach(v.Slice(Math.Max(v.Start, start), Math.Min(v.End, end)));
            middle.Protection = protection;
            pieces.Add(middle);
            if (v.End > end) pieces.Add(Attach(v.Slice(end, v.End)));
            v.Detached();
        }
        _vmas.Clear();
        _vmas.AddRange(pieces);
        for (ulong va = start; va < end; va += PageSize)
        {
            ulong pte = PageTable.GetLeaf(va);
            if (pte == 0) continue;
            uint pfn = Sv39PageTable.PfnOf(pte);
            if ((protection & Protection.Write) != 0 && Memory.References(pfn) > 1 && Find(va) is { Shared: false, Backing: null })
                pfn = PrivateCopy(va, pfn);
            PageTable.SetLeaf(va, Sv39PageTable.MakePte(pfn, Mappings.FlagsForNewMapping(pfn, PteFlagsFor(protection))));
        }
        _machine.ShootDownTlbs();
        return true;
    }

    /// <summary>Replaces a read-only frame a fork shared with a copy of this space's own, before the page
    /// becomes writable.</summary>
    private uint PrivateCopy(ulong va, uint shared)
    {
        uint copy = Memory.Allocate();
        if (copy == 0) throw new GuestOutOfMemoryException();
        Memory.Frame(shared).CopyTo(Memory.Frame(copy), 0);
        PageTable.Unmap(va);
        Mappings.Removed(shared, this, va);
        Memory.Release(shared);
        Mappings.Added(copy, this, va);
        return copy;
    }

    public static PteFlags PteFlagsFor(Protection p)
    {
        // PROT_NONE pages keep their frame in an invalid entry: V without R/W/X would mean "next level".
        if (p == Protection.None) return PteFlags.None;
        var f = PteFlags.V | PteFlags.U | PteFlags.A | PteFlags.D;
        if ((p & Protection.Read) != 0) f |= PteFlags.R;
        if ((p & Protection.Write) != 0) f |= PteFlags.W | PteFlags.R;
        if ((p & Protection.Exec) != 0) f |= PteFlags.X;
        return f;
    }

    /// <summary>Backs the page holding <paramref name="va"/> if its area allows <paramref name="access"/>.
    /// Returns false for a genuine fault (no area, wrong permission, or out of memory).</summary>
    public bool TryFaultIn(ulong va, AccessType access)
    {
        var v = Find(va);
        if (v == null) return false;
        bool allowed = access switch
        {
            AccessType.Read => (v.Protection & (Protection.Read | Protection.Write)) != 0,
            AccessType.Write => (v.Protection & Protection.Write) != 0,
            _ => (v.Protection & Protection.Exec) != 0,
        };
        if (!allowed) return false;
        ulong page = PageDown(va);
        ulong pte = PageTable.GetLeaf(page);
        if (pte != 0) return false;
        uint pfn;
        if (v.Backing != null)
        {
            pfn = v.Backing.FrameAt(v.BackingPage + (page - v.Start) / PageSize);
            if (pfn != 0) Memory.AddRef(pfn);
        }
        else pfn = Memory.Allocate();
        if (pfn == 0) throw new GuestOutOfMemoryException();
        try
        {
            MapPage(page, pfn, PteFlagsFor(v.Protection));
        }
        catch (FramesExhaustedException)
        {
            Memory.Release(pfn); // no page table for it: the frame goes back
            throw;
        }
        return true;
    }

    private void MapPage(ulong va, uint pfn, PteFlags flags)
    {
        PageTable.SetLeaf(va, Sv39PageTable.MakePte(pfn, Mappings.FlagsForNewMapping(pfn, flags)));
        Mappings.Added(pfn, this, va);
    }

    /// <summary>Drops the page at <paramref name="va"/> and its frame reference (the caller shoots down TLBs).</summary>
    public void UnmapPage(ulong va)
    {
        uint pfn = PageTable.Unmap(va);
        if (pfn == 0) return;
        Mappings.Removed(pfn, this, va);
        Memory.Release(pfn);
    }

    /// <summary>Where a futex word lives, independent of the frame that holds it today; null if unmapped.</summary>
    public Processes.FutexKey? FutexKeyFor(ulong va)
    {
        var v = Find(va);
        if (v == null) return null;
        if (v.Backing != null) return new Processes.FutexKey(v.Backing, (v.BackingPage * PageSize) + (va - v.Start));
        return new Processes.FutexKey(this, va);
    }

    /// <summary>The frame backing <paramref name="va"/>, faulting it in if its area allows; 0 on a fault.</summary>
    public uint FrameFor(ulong va, AccessType access)
    {
        uint pfn = PageTable.Translate(va, 1, access, out _);
        if (pfn != 0) return pfn;
        bool resolved = TryFaultIn(va, access)
            || (access == AccessType.Write && Mappings.ResolveProtectedWrite is { } resolve && resolve(this, va));
        return resolved ? PageTable.Translate(va, 1, access, out _) : 0;
    }

    /// <summary>Copies what the guest would read at <paramref name="va"/> into <paramref name="destination"/>
    /// without any effect on the run: no fault-in, no accessed bits, no frame allocated, no user-access
    /// policy (so no Midas snapshot or detector record). A page not yet touched reads as zeros, as its
    /// first touch would make it; the copy stops at the first address no area covers. For observers
    /// such as the syscall trace. Returns the bytes copied.</summary>
    public int Peek(ulong va, Span<byte> destination)
    {
        int copied = 0;
        while (copied < destination.Length)
        {
            int offset = (int)(va & (PageSize - 1));
            int n = Math.Min(destination.Length - copied, (int)PageSize - offset);
            var chunk = destination.Slice(copied, n);
            ulong pte = PageTable.GetLeaf(PageDown(va));
            if ((pte & (ulong)PteFlags.V) != 0) Memory.Frame(Sv39PageTable.PfnOf(pte)).AsSpan(offset, n).CopyTo(chunk);
            else if (Find(va) is { Protection: not Protection.None } area)
            {
                uint pfn = area.Backing?.ExistingFrameAt(area.BackingPage + (PageDown(va) - area.Start) / PageSize) ?? 0;
                if (pfn != 0) Memory.Frame(pfn).AsSpan(offset, n).CopyTo(chunk);
                else chunk.Clear();
            }
            else break;
            copied += n;
            va += (ulong)n;
        }
        return copied;
    }

    /// <summary>Writes on behalf of the kernel itself (stack set-up, signal frames), faulting pages in.</summary>
    public bool WriteBytes(ulong va, ReadOnlySpan<byte> data) => CopyIn(va, data, page => FrameFor(page, AccessType.Write));

    /// <summary>Fills pages of an existing area regardless of its protection (program loading).</summary>
    public void Populate(ulong va, ReadOnlySpan<byte> data)
    {
        bool copied = CopyIn(va, data, page =>
        {
            if (PageTable.GetLeaf(page) == 0) TryFaultIn(page, AccessType.Read);
            return Sv39PageTable.PfnOf(PageTable.GetLeaf(page));
        });
        if (!copied) throw new InvalidOperationException($"no readable area at 0x{va:x} to load into");
    }

    private bool CopyIn(ulong va, ReadOnlySpan<byte> data, Func<ulong, uint> frameOf)
    {
        while (data.Length > 0)
        {
            uint pfn = frameOf(PageDown(va));
            if (pfn == 0) return false;
            int offset = (int)(va & (PageSize - 1));
            int n = Math.Min(data.Length, (int)PageSize - offset);
            Memory.BeforeWrite(pfn, offset, n);
            data[..n].CopyTo(Memory.Frame(pfn).AsSpan(offset));
            data = data[n..];
            va += (ulong)n;
        }
        return true;
    }

    /// <summary>A copy for fork: private pages are copied, shared ones mapped to the same frames. Null when guest
    /// memory runs out on the way (what was copied is given back).</summary>
    public AddressSpace? TryFork()
    {
        AddressSpace? child = null;
        try
        {
            child = new AddressSpace(_machine, Mappings) { BrkStart = BrkStart, Brk = Brk, Reserved = Reserved };
            CopyInto(child);
            return child;
        }
        catch (FramesExhaustedException)
        {
            child?.Destroy();
            return null;
        }
    }

    private void CopyInto(AddressSpace child)
    {
        foreach (var v in _vmas)
        {
            child.Add(v.Slice(v.Start, v.End));
            for (ulong va = v.Start; va < v.End; va += PageSize)
            {
                ulong pte = PageTable.GetLeaf(va);
                if (pte == 0) continue;
                uint pfn = Sv39PageTable.PfnOf(pte);
                var flags = (PteFlags)pte & (PteFlags)0x3ff;
                if ((flags & FrameMappings.Marked) != 0) flags = (flags & ~FrameMappings.Marked) | PteFlags.W;
                uint target;
                // Shared areas share their frames; so do private ones nobody may write (program text, read-only
                // data): a fork costs only the pages a process can change. Protect copies such a frame before it
                // becomes writable.
                if (v.Shared || (v.Protection & Protection.Write) == 0)
                {
                    Memory.AddRef(pfn);
                    target = pfn;
                }
                else
                {
                    target = Memory.Allocate();
                    if (target == 0) throw new GuestOutOfMemoryException();
                    Memory.Frame(pfn).CopyTo(Memory.Frame(target), 0);
                }
                child.MapPage(va, target, flags);
            }
        }
    }

    public void Destroy()
    {
        Unmap(0, ulong.MaxValue);
        PageTable.FreeTables();
    }
}

/// <summary>Guest physical memory (the --memory limit) is exhausted.</summary>
public sealed class GuestOutOfMemoryException() : FramesExhaustedException("guest memory exhausted (raise --memory)");
