using Bulwark.Kernel.Memory;
using Bulwark.Machine.Translation;

namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>The fallback's page-id map of one process: at <see cref="SharedLayout.PageIdMapBase"/>, the
/// 4-byte id of every page of user space (a segment's id for a page of an attached segment, 0 for
/// anything else), mapped read-only. A map page that describes only id 0 is the kernel's one zero
/// frame, mapped on first read; a map page with a non-zero id is a frame of this process's own, which
/// the kernel rewrites whenever the areas it describes change (attach, munmap, revoke, destroy, fork),
/// and gives back (to the zero frame) when it holds only zeros again.</summary>
public sealed class PageIdMap(AddressSpace space, uint zeroPfn)
{
    private const PteFlags ReadOnly = PteFlags.V | PteFlags.R | PteFlags.U | PteFlags.A;
    private readonly Dictionary<ulong, uint> _own = [];
    private readonly HashSet<ulong> _zeroMapped = [];

    public static ulong EntryAddress(ulong va) => SharedLayout.PageIdMapBase + (va >> 12) * 4;

    /// <summary>Pages of the map that hold a non-zero id (frames of their own).</summary>
    public int OwnPages => _own.Count;

    /// <summary>Maps the zero frame at the map page holding <paramref name="va"/> if nothing is there yet.</summary>
    public bool TryFaultIn(ulong va)
    {
        ulong page = AddressSpace.PageDown(va);
        if (space.PageTable.GetLeaf(page) != 0) return false;
        space.Memory.AddRef(zeroPfn);
        space.MapFrame(page, zeroPfn, ReadOnly);
        _zeroMapped.Add(page);
        return true;
    }

    /// <summary>Writes the id of the page at <paramref name="va"/>; the caller shoots down the TLBs.</summary>
    public void Set(ulong va, uint id)
    {
        ulong entry = EntryAddress(va);
        ulong page = AddressSpace.PageDown(entry);
        int offset = (int)(entry - page);
        if (!_own.TryGetValue(page, out uint pfn))
        {
            if (id == 0) return;
            pfn = space.Memory.Allocate();
            if (pfn == 0) throw new GuestOutOfMemoryException();
            if (_zeroMapped.Remove(page)) space.UnmapPage(page);
            space.MapFrame(page, pfn, ReadOnly);
            _own[page] = pfn;
        }
        var frame = space.Memory.Frame(pfn);
        space.Memory.BeforeWrite(pfn, offset, 4);
        BitConverter.TryWriteBytes(frame.AsSpan(offset, 4), id);
        if (id == 0 && frame.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            space.UnmapPage(page);
            _own.Remove(page);
        }
    }

    /// <summary>The id the map holds for the page at <paramref name="va"/> (what a guest reading it sees).</summary>
    public uint Get(ulong va)
    {
        ulong entry = EntryAddress(va);
        ulong page = AddressSpace.PageDown(entry);
        return _own.TryGetValue(page, out uint pfn) ? BitConverter.ToUInt32(space.Memory.Frame(pfn), (int)(entry - page)) : 0;
    }

    /// <summary>Drops every map page (own frames and zero-frame mappings), before the space goes.</summary>
    public void Clear()
    {
        foreach (ulong page in _own.Keys) space.UnmapPage(page);
        foreach (ulong page in _zeroMapped) space.UnmapPage(page);
        _own.Clear();
        _zeroMapped.Clear();
    }
}
