using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Translation;

/// <summary>A three-level Sv39 page table kept in guest physical frames, walked the way the
/// hardware walks it. The kernel edits it through <see cref="Map"/>, <see cref="Unmap"/> and
/// <see cref="SetLeaf"/>; after removing or narrowing a mapping it must shoot down the TLBs.</summary>
public sealed class Sv39PageTable : IAddressTranslator
{
    private const int Levels = 3;
    private const ulong PpnMask = (1UL << 44) - 1;
    private readonly PhysicalMemory _memory;

    public Sv39PageTable(PhysicalMemory memory)
    {
        _memory = memory;
        RootPfn = memory.Allocate();
        if (RootPfn == 0) throw new FramesExhaustedException("no guest frame left for a page-table root");
    }

    public uint RootPfn { get; }

    /// <summary>Sv39 requires bits 63..39 to equal bit 38.</summary>
    public static bool IsCanonical(ulong va) => ((long)va << 25 >> 25) == (long)va;

    public static uint PfnOf(ulong pte) => (uint)((pte >> 10) & PpnMask);

    public static ulong MakePte(uint pfn, PteFlags flags) => ((ulong)pfn << 10) | (ulong)flags;

    public uint Translate(ulong va, int size, AccessType access, out TranslationFlags result)
    {
        result = TranslationFlags.None;
        ref ulong leaf = ref FindLeaf(va, create: false, out bool found);
        if (!found) return 0;
        var flags = (PteFlags)leaf;
        if ((flags & PteFlags.V) == 0 || (flags & PteFlags.U) == 0) return 0;
        bool allowed = access switch
        {
            AccessType.Read => (flags & PteFlags.R) != 0,
            AccessType.Write => (flags & PteFlags.W) != 0,
            AccessType.Execute => (flags & PteFlags.X) != 0,
            _ => false,
        };
        if (!allowed) return 0;
        var update = PteFlags.A | (access == AccessType.Write ? PteFlags.D : 0);
        leaf |= (ulong)update;
        result = TranslationFlags.Cacheable;
        return PfnOf(leaf);
    }

    /// <summary>The leaf entry for <paramref name="va"/>, or 0 if no table covers it.</summary>
    public ulong GetLeaf(ulong va)
    {
        ref ulong leaf = ref FindLeaf(va, create: false, out bool found);
        return found ? leaf : 0;
    }

    /// <summary>In one walk: if the valid leaf entry of <paramref name="va"/> has all of
    /// <paramref name="requires"/>, clears <paramref name="clear"/> and sets <paramref name="set"/>.
    /// Returns the entry as it was (0 if there is none).</summary>
    public ulong UpdateLeaf(ulong va, PteFlags requires, PteFlags clear, PteFlags set)
    {
        ref ulong leaf = ref FindLeaf(va, create: false, out bool found);
        if (!found || (leaf & (ulong)PteFlags.V) == 0) return 0;
        ulong old = leaf;
        if ((old & (ulong)requires) == (ulong)requires) leaf = (old & ~(ulong)clear) | (ulong)set;
        return old;
    }

    /// <summary>Overwrites the leaf entry of an address whose tables exist (see <see cref="Map"/>).</summary>
    public void SetLeaf(ulong va, ulong pte)
    {
        ref ulong leaf = ref FindLeaf(va, create: true, out bool found);
        if (!found) throw new FramesExhaustedException("no guest frame left for a page table");
        leaf = pte;
    }

    /// <summary>Maps the 4 KiB page at <paramref name="va"/> to <paramref name="pfn"/>; returns false
    /// if a page-table frame could not be allocated.</summary>
    public bool Map(ulong va, uint pfn, PteFlags flags)
    {
        ref ulong leaf = ref FindLeaf(va, create: true, out bool found);
        if (!found) return false;
        leaf = MakePte(pfn, flags | PteFlags.V);
        return true;
    }

    /// <summary>Clears the entry of <paramref name="va"/>; returns the frame it held, or 0.</summary>
    public uint Unmap(ulong va)
    {
        ref ulong leaf = ref FindLeaf(va, create: false, out bool found);
        // An invalid entry may still hold a frame (the kernel parks PROT_NONE pages that way).
        if (!found || leaf == 0) return 0;
        uint pfn = PfnOf(leaf);
        leaf = 0;
        return pfn;
    }

    /// <summary>Frees the table frames (not the mapped frames: their owner releases those).</summary>
    public void FreeTables() => FreeTable(RootPfn, Levels - 1);

    private void FreeTable(uint pfn, int level)
    {
        if (level > 0)
        {
            var table = _memory.Frame(pfn);
            for (int i = 0; i < 512; i++)
            {
                ulong pte = BitConverter.ToUInt64(table, i * 8);
                if ((pte & (ulong)PteFlags.V) != 0 && (pte & (ulong)(PteFlags.R | PteFlags.W | PteFlags.X)) == 0)
                    FreeTable(PfnOf(pte), level - 1);
            }
        }
        _memory.Release(pfn);
    }

    private ref ulong FindLeaf(ulong va, bool create, out bool found)
    {
        found = false;
        if (!IsCanonical(va)) return ref System.Runtime.CompilerServices.Unsafe.NullRef<ulong>();
        uint table = RootPfn;
        for (int level = Levels - 1; ; level--)
        {
            int index = (int)((va >> (12 + 9 * level)) & 511);
            ref ulong pte = ref System.Runtime.CompilerServices.Unsafe.As<byte, ulong>(ref _memory.Frame(table)[index * 8]);
            if (level == 0)
            {
                found = true;
                return ref pte;
            }
            if ((pte & (ulong)PteFlags.V) == 0)
            {
                if (!create) return ref System.Runtime.CompilerServices.Unsafe.NullRef<ulong>();
                uint next = _memory.Allocate();
                if (next == 0) return ref System.Runtime.CompilerServices.Unsafe.NullRef<ulong>();
                pte = MakePte(next, PteFlags.V);
            }
            else if ((pte & (ulong)(PteFlags.R | PteFlags.W | PteFlags.X)) != 0)
            {
                // Superpages are never created by this kernel; a leaf above level 0 is treated as a fault.
                return ref System.Runtime.CompilerServices.Unsafe.NullRef<ulong>();
            }
            table = PfnOf(pte);
        }
    }
}
