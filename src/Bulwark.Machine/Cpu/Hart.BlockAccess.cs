using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Cpu;

/// <summary>Memory access for compiled blocks: a block calls these for every load and store (a call
/// costs RyuJIT far less to compile than the TLB look-up inlined in the block's IL: see BlockCompiler).
/// They do not throw: a fault is recorded (<see cref="BlockFaulted"/>, with the cause and value) and the block
/// leaves at the faulting instruction, so a block keeps its registers in locals across the call and
/// needs no exception handling.</summary>
public sealed partial class Hart
{
    /// <summary>Set by a compiled block's slow path that faulted; the engine then reports the trap.</summary>
    internal bool BlockFaulted;

    /// <summary>Records a fault for the engine (see <see cref="BlockFaulted"/>).</summary>
    internal void RecordBlockFault(TrapCause cause, ulong value)
    {
        TrapCause = cause;
        TrapValue = value;
        BlockFaulted = true;
    }

    /// <summary>Loads through the read TLB, else the slow path; a fault returns 0 and sets
    /// <see cref="BlockFaulted"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T BlockLoad<T>(ulong va) where T : unmanaged => TryLoadCached(va, out T value) ? value : BlockLoadSlow<T>(va);

    /// <summary>Stores through the write TLB, else the slow path (see <see cref="BlockStoreSlow{T}"/>); true
    /// if the block must leave after this instruction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool BlockStore<T>(ulong va, T value) where T : unmanaged => !TryStoreCached(va, value) && BlockStoreSlow(va, value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T BlockLoadSlow<T>(ulong va) where T : unmanaged
    {
        try
        {
            return LoadSlow<T>(va);
        }
        catch (GuestTrapException trap)
        {
            RecordBlockFault(trap.Cause, trap.Value);
            return default;
        }
    }

    /// <summary>Stores; true if the block must leave after this instruction: the store faulted (see
    /// <see cref="BlockFaulted"/>), or it changed decoded code or reached a device (see <see cref="Attention"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool BlockStoreSlow<T>(ulong va, T value) where T : unmanaged
    {
        try
        {
            StoreSlow(va, value);
        }
        catch (GuestTrapException trap)
        {
            RecordBlockFault(trap.Cause, trap.Value);
            return true;
        }
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
