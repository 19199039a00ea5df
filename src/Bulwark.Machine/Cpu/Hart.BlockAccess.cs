using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Cpu;

/// <summary>Memory access for compiled blocks: a block calls these for every load and store (a call
/// costs RyuJIT far less to compile than the TLB look-up inlined in the block's IL: see BlockCompiler).
/// A fault throws, as in the interpreter, out of the block to the engine: the block stores the registers it
/// wrote to the register file before each call and passes the instruction (its site) and its budget, so
/// the engine can stop the hart at the faulting instruction without a check after every access in the
/// block's code.</summary>
public sealed partial class Hart
{
    /// <summary>The site (the instruction's index in its compiled region) of the last access that took the
    /// slow path, and the region's budget then: if that access threw, the engine reports the trap there.</summary>
    internal int SlowAccessSite;
    internal long SlowAccessLeft;

    /// <summary>The region the engine, or a region's exit, last entered (its number: see
    /// <see cref="Jit.CompiledBlock.Region"/>; a region goes on into the next without returning to the
    /// engine: see <see cref="Jit.RegionExits"/>): a fault thrown out of compiled code came from it, and
    /// the pc compiled code returns is where it left.</summary>
    internal int RunningRegion;

    /// <summary>The link (see <see cref="Jit.RegionLinks"/>) of the direct exit the running region left
    /// by without a block to go on into, or -1: the engine links the block it finds there.</summary>
    internal int MissedLink = -1;

    /// <summary>How many times a region went on into the next without the engine (for the statistics).</summary>
    internal long RegionsChained;

    /// <summary>Notes where a compiled block's slow path runs (see <see cref="SlowAccessSite"/>), before it may throw.</summary>
    internal void NoteSlowAccess(int site, long left)
    {
        SlowAccessSite = site;
        SlowAccessLeft = left;
    }

    /// <summary>Loads through the read TLB, else the slow path, which may throw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T BlockLoad<T>(ulong va, int site, long left) where T : unmanaged => TryLoadCached(va, out T value) ? value : BlockLoadSlow<T>(va, site, left);

    /// <summary>Stores through the write TLB, else the slow path (see <see cref="BlockStoreSlow{T}"/>); true
    /// if the block must leave after this instruction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool BlockStore<T>(ulong va, T value, int site, long left) where T : unmanaged => !TryStoreCached(va, value) && BlockStoreSlow(va, value, site, left);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T BlockLoadSlow<T>(ulong va, int site, long left) where T : unmanaged
    {
        NoteSlowAccess(site, left);
        return LoadSlow<T>(va);
    }

    /// <summary>Stores, or throws; true if the block must leave after this instruction: the store changed
    /// decoded code or reached a device (see <see cref="Attention"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool BlockStoreSlow<T>(ulong va, T value, int site, long left) where T : unmanaged
    {
        NoteSlowAccess(site, left);
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
