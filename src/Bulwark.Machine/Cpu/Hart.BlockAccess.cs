using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Cpu;

/// <summary>Memory access for compiled blocks, split in two as a block uses it: the TLB's answer for
/// the page (inlined into the block; no bounds checks, the index is masked), and the slow path (a call,
/// after the block has put its registers back in the register file, since only it can trap). The
/// slow path records the index of the block's instruction first, so the engine knows where a fault
/// happened.</summary>
public sealed partial class Hart
{
    /// <summary>In a compiled block: the index of the instruction whose slow path is running.</summary>
    internal int BlockIndex;

    /// <summary>The host page to read <paramref name="size"/> bytes at <paramref name="va"/> from, if the
    /// read TLB has it and the access stays in the page; else null (take the slow path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte[]? ReadPage(ulong va, int size)
    {
        ulong vpn = va >> 12;
        nint i = (nint)(vpn & TlbMask);
        if (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_readTag), i) == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - size)
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_readPage), i);
        return null;
    }

    /// <summary>As <see cref="ReadPage"/>, for a write (the write TLB never holds watched or device pages).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte[]? WritePage(ulong va, int size)
    {
        ulong vpn = va >> 12;
        nint i = (nint)(vpn & TlbMask);
        if (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_writeTag), i) == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - size)
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_writePage), i);
        return null;
    }

    internal T BlockLoadSlow<T>(ulong va, int index) where T : unmanaged
    {
        BlockIndex = index;
        return LoadSlow<T>(va);
    }

    /// <summary>Stores; true if the block must stop after this instruction (the store changed decoded
    /// code or reached a device, see <see cref="Attention"/>).</summary>
    internal bool BlockStoreSlow<T>(ulong va, T value, int index) where T : unmanaged
    {
        BlockIndex = index;
        StoreSlow(va, value);
        return Attention != 0;
    }

    /// <summary>The decoded page holding <paramref name="pc"/> if the execute TLB has it, else null
    /// (the engine's fast look-up of the next block; the slow one translates and may fault).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal DecodedPage? CachedCodePage(ulong pc)
    {
        ulong vpn = pc >> 12;
        int i = (int)(vpn & TlbMask);
        return _execTag[i] == vpn ? _execPage[i] : null;
    }
}
