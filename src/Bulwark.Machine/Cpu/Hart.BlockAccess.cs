using System.Runtime.CompilerServices;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Cpu;

/// <summary>Memory access for compiled blocks: the same TLB fast path and slow path as
/// <see cref="Load{T}"/> and <see cref="Store{T}"/>, with the index of the block's instruction recorded
/// before the slow path (the only path that can trap), so the engine knows where a fault happened
/// without the block doing anything on the fast path.</summary>
public sealed partial class Hart
{
    /// <summary>In a compiled block: the index of the instruction whose slow-path access is running.</summary>
    internal int BlockIndex;

    /// <summary>The decoded page holding <paramref name="pc"/> if the execute TLB has it, else null
    /// (the engine's fast look-up of the next block; the slow one translates and may fault).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal DecodedPage? CachedCodePage(ulong pc)
    {
        ulong vpn = pc >> 12;
        int i = (int)(vpn & TlbMask);
        return _execTag[i] == vpn ? _execPage[i] : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T BlockLoad<T>(ulong va, int index) where T : unmanaged
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (_readTag[i] == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - Unsafe.SizeOf<T>())
            return Unsafe.ReadUnaligned<T>(ref At(_readPage[i], va));
        BlockIndex = index;
        return LoadSlow<T>(va);
    }

    /// <summary>Stores; true if the block must stop after this instruction (the store changed decoded
    /// code or reached a device, see <see cref="Attention"/>). Only the slow path can do either.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool BlockStore<T>(ulong va, T value, int index) where T : unmanaged
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (_writeTag[i] == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - Unsafe.SizeOf<T>())
        {
            Unsafe.WriteUnaligned(ref At(_writePage[i], va), value);
            return false;
        }
        BlockIndex = index;
        StoreSlow(va, value);
        return Attention != 0;
    }
}
