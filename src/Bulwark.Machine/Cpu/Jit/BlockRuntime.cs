using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>What compiled blocks call: loads and stores, F and D instructions, and the M extension's operations with
/// their RISC-V edge cases.</summary>
internal static class BlockRuntime
{
    // Loads and stores, the TLB look-up included; a fault throws (see Hart.SlowAccessSite). Not inlined: a
    // call costs RyuJIT a few µs to compile per site, the inlined look-up several times that (see
    // BlockCompiler.Emitter.Load). Optimised at once (no tiering): compiled code calls them tens of millions
    // of times in its first second, while tier 0 and the instrumented tier, which do not inline the look-up,
    // ran for most of a fresh `bulwark run` of bzip2 -9.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Lb(Hart h, ulong va, int site, long left) => (ulong)(long)h.BlockLoad<sbyte>(va, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Lh(Hart h, ulong va, int site, long left) => (ulong)(long)h.BlockLoad<short>(va, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Lw(Hart h, ulong va, int site, long left) => (ulong)(long)h.BlockLoad<int>(va, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Ld(Hart h, ulong va, int site, long left) => h.BlockLoad<ulong>(va, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Lbu(Hart h, ulong va, int site, long left) => h.BlockLoad<byte>(va, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Lhu(Hart h, ulong va, int site, long left) => h.BlockLoad<ushort>(va, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Lwu(Hart h, ulong va, int site, long left) => h.BlockLoad<uint>(va, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool Sb(Hart h, ulong va, ulong v, int site, long left) => h.BlockStore(va, (byte)v, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool Sh(Hart h, ulong va, ulong v, int site, long left) => h.BlockStore(va, (ushort)v, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool Sw(Hart h, ulong va, ulong v, int site, long left) => h.BlockStore(va, (uint)v, site, left);
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool Sd(Hart h, ulong va, ulong v, int site, long left) => h.BlockStore(va, v, site, left);

    /// <summary>An F or D instruction, as the interpreter runs it (illegal while mstatus.FS is off), on
    /// the register file; a fault throws (see <see cref="Hart.SlowAccessSite"/>). True if the block must
    /// leave after it: a store changed code or reached a device.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool FloatingPoint(Hart h, in DecodedInsn d, int site, long left)
    {
        h.NoteSlowAccess(site, left);
        if (!Interpreter.FloatingPoint(h, in d, h.State.X)) throw new GuestTrapException(TrapCause.IllegalInstruction, d.Raw);
        return h.Attention != 0;
    }

    /// <summary>The block a region's direct exit <paramref name="link"/> goes on into without returning to
    /// the engine (see <see cref="RegionLinks"/>), or null to return: no attention is pending, but the exit
    /// is not linked yet (the engine then links it: see <see cref="Hart.MissedLink"/>), or attention is
    /// pending. The block's first basic block checks the budget, as every one does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompiledBlock? Linked(Hart h, RegionLinks links, int link)
    {
        if (h.Attention != 0) return null;
        var block = links.Targets[link];
        if (block == null)
        {
            h.MissedLink = link;
            return null;
        }
        return Entering(h, block);
    }

    /// <summary>The block compiled at <paramref name="pc"/> that a region's exit goes on into, found as the
    /// engine finds it (<see cref="PageBlocks.InSlot"/> through the execute TLB), or null to return: none
    /// is, or attention is pending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CompiledBlock? NextRegion(Hart h, ulong pc)
    {
        if (h.Attention != 0) return null;
        var block = PageBlocks.InSlot(h.CachedCodePage(pc), pc);
        return block == null || block.Pc != pc ? null : Entering(h, block);
    }

    /// <summary>Notes on the hart that a region's exit goes on into <paramref name="block"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static CompiledBlock Entering(Hart h, CompiledBlock block)
    {
        h.RunningRegion = block.Region;
        h.RegionsChained++;
        return block;
    }

    public static ulong Mulh(ulong a, ulong b) => (ulong)Math.BigMul((long)a, (long)b, out _);
    public static ulong Mulhu(ulong a, ulong b) => Math.BigMul(a, b, out _);
    public static ulong Mulhsu(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out _);
        return (long)a < 0 ? high - b : high;
    }
    public static ulong Div(ulong a, ulong b) => (ulong)Interpreter.SignedDiv((long)a, (long)b);
    public static ulong Divu(ulong a, ulong b) => b == 0 ? ulong.MaxValue : a / b;
    public static ulong Rem(ulong a, ulong b) => (ulong)Interpreter.SignedRem((long)a, (long)b);
    public static ulong Remu(ulong a, ulong b) => b == 0 ? a : a % b;
    public static ulong Divw(ulong a, ulong b) => (ulong)Interpreter.SignedDiv((int)a, (int)b, int.MinValue);
    public static ulong Divuw(ulong a, ulong b) => (ulong)(long)(int)((uint)b == 0 ? uint.MaxValue : (uint)a / (uint)b);
    public static ulong Remw(ulong a, ulong b) => (ulong)Interpreter.SignedRem((int)a, (int)b, int.MinValue);
    public static ulong Remuw(ulong a, ulong b) => (ulong)(long)(int)((uint)b == 0 ? (uint)a : (uint)a % (uint)b);
}
