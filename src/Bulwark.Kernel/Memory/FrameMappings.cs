using Bulwark.Machine.Memory;
using Bulwark.Machine.Translation;

namespace Bulwark.Kernel.Memory;

/// <summary>The reverse map: for each frame, every user mapping of it (address space and virtual
/// address) and the shared-memory slot that owns it, if any. It lets the kernel write-protect a frame
/// everywhere it is mapped, and swap a frame for a new version of it in all those places.</summary>
public sealed class FrameMappings(Bulwark.Machine.Machine machine)
{
    /// <summary>PTE software bit: write permission was removed by <see cref="WriteProtect"/>.</summary>
    public const PteFlags Marked = PteFlags.Rsw0;

    // A set per frame: a read-only frame a fork shared is mapped in every process, and each exit removes its
    // mapping at once. Its order depends only on the order of additions and removals, never on hash codes.
    private readonly Dictionary<uint, HashSet<(AddressSpace Space, ulong Va)>> _mappings = [];
    private readonly Dictionary<uint, (SharedMemory Backing, ulong Index)> _backings = [];
    private readonly HashSet<uint> _writeProtected = [];

    /// <summary>Resolves a write to a write-protected frame (a protection's write-fault path).</summary>
    public Func<AddressSpace, ulong, bool>? ResolveProtectedWrite { get; set; }

    public PhysicalMemory Memory => machine.Memory;

    /// <summary>The flags a new mapping of <paramref name="pfn"/> gets: write-protected frames stay so.</summary>
    internal PteFlags FlagsForNewMapping(uint pfn, PteFlags flags) =>
        _writeProtected.Contains(pfn) && (flags & PteFlags.W) != 0 ? (flags & ~PteFlags.W) | Marked : flags;

    internal void Added(uint pfn, AddressSpace space, ulong va)
    {
        if (!_mappings.TryGetValue(pfn, out var list)) _mappings[pfn] = list = [];
        list.Add((space, va));
    }

    internal void Removed(uint pfn, AddressSpace space, ulong va)
    {
        if (!_mappings.TryGetValue(pfn, out var list)) return;
        list.Remove((space, va));
        if (list.Count == 0) _mappings.Remove(pfn);
    }

    internal void Owned(uint pfn, SharedMemory backing, ulong index) => _backings[pfn] = (backing, index);

    internal void Disowned(uint pfn) => _backings.Remove(pfn);

    /// <summary>Removes write permission from every mapping of <paramref name="pfn"/>, now and for
    /// mappings made later, until <see cref="Unprotect"/>.</summary>
    public void WriteProtect(uint pfn)
    {
        if (!_writeProtected.Add(pfn)) return;
        if (!_mappings.TryGetValue(pfn, out var list)) return;
        foreach (var (space, va) in list)
            if ((space.PageTable.UpdateLeaf(va, requires: PteFlags.W, clear: PteFlags.W, set: Marked) & (ulong)PteFlags.W) != 0)
                machine.RevokeWriteTranslation(va, pfn);
    }

    public void Unprotect(uint pfn)
    {
        if (!_writeProtected.Remove(pfn)) return;
        if (!_mappings.TryGetValue(pfn, out var list)) return;
        foreach (var (space, va) in list)
            space.PageTable.UpdateLeaf(va, requires: Marked, clear: Marked, set: PteFlags.W);
    }

    /// <summary>Maps <paramref name="replacement"/> wherever <paramref name="old"/> was mapped (with its
    /// write permission restored) and in its shared-memory slot; <paramref name="old"/> keeps only the
    /// references held by others.</summary>
    public void Replace(uint old, uint replacement)
    {
        foreach (var (space, va) in Mappings(old))
        {
            ulong pte = space.PageTable.GetLeaf(va);
            var flags = (PteFlags)pte & (PteFlags)0x3ff;
            if ((flags & Marked) != 0) flags = (flags & ~Marked) | PteFlags.W;
            space.PageTable.SetLeaf(va, Sv39PageTable.MakePte(replacement, flags));
            Memory.AddRef(replacement);
            Memory.Release(old);
            Removed(old, space, va);
            Added(replacement, space, va);
        }
        if (_backings.Remove(old, out var slot))
        {
            slot.Backing.ReplaceFrame(slot.Index, replacement);
            Memory.AddRef(replacement);
            Memory.Release(old);
            _backings[replacement] = slot;
        }
        // Read translations of the old frame are cached too: every TLB entry must go.
        machine.ShootDownTlbs();
    }

    private List<(AddressSpace, ulong)> Mappings(uint pfn) =>
        _mappings.TryGetValue(pfn, out var list) ? [.. list] : [];
}
