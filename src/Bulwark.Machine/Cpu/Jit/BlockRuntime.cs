using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>What compiled blocks call: the memory accesses (each records its instruction index before
/// its slow path) and the M extension's operations with their RISC-V edge cases. Small and
/// aggressively inlined, so a block's fast path is the interpreter's, without the dispatch.</summary>
internal static class BlockRuntime
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lb(Hart h, ulong va, int i) => (ulong)(long)h.BlockLoad<sbyte>(va, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lh(Hart h, ulong va, int i) => (ulong)(long)h.BlockLoad<short>(va, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lw(Hart h, ulong va, int i) => (ulong)(long)h.BlockLoad<int>(va, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Ld(Hart h, ulong va, int i) => h.BlockLoad<ulong>(va, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lbu(Hart h, ulong va, int i) => h.BlockLoad<byte>(va, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lhu(Hart h, ulong va, int i) => h.BlockLoad<ushort>(va, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lwu(Hart h, ulong va, int i) => h.BlockLoad<uint>(va, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Sb(Hart h, ulong va, ulong v, int i) => h.BlockStore(va, (byte)v, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Sh(Hart h, ulong va, ulong v, int i) => h.BlockStore(va, (ushort)v, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Sw(Hart h, ulong va, ulong v, int i) => h.BlockStore(va, (uint)v, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Sd(Hart h, ulong va, ulong v, int i) => h.BlockStore(va, v, i);

    /// <summary>An F or D instruction, as the interpreter runs it (illegal while mstatus.FS is off).
    /// True if the block must stop after it (a store that changed code or reached a device).</summary>
    public static bool FloatingPoint(Hart h, in DecodedInsn d, int index)
    {
        h.BlockIndex = index;
        if (!Interpreter.FloatingPoint(h, in d, h.State.X)) throw new GuestTrapException(TrapCause.IllegalInstruction, d.Raw);
        return h.Attention != 0;
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
