using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>What compiled blocks call: loads and stores, F and D instructions, and the M extension's operations with
/// their RISC-V edge cases.</summary>
internal static class BlockRuntime
{
    // Loads and stores, the TLB look-up included. Not inlined: a call costs RyuJIT a few µs to compile per
    // site, the inlined look-up several times that (see BlockCompiler.Emitter.Load).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lb(Hart h, ulong va) => (ulong)(long)h.BlockLoad<sbyte>(va);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lh(Hart h, ulong va) => (ulong)(long)h.BlockLoad<short>(va);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lw(Hart h, ulong va) => (ulong)(long)h.BlockLoad<int>(va);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Ld(Hart h, ulong va) => h.BlockLoad<ulong>(va);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lbu(Hart h, ulong va) => h.BlockLoad<byte>(va);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lhu(Hart h, ulong va) => h.BlockLoad<ushort>(va);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Lwu(Hart h, ulong va) => h.BlockLoad<uint>(va);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Sb(Hart h, ulong va, ulong v) => h.BlockStore(va, (byte)v);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Sh(Hart h, ulong va, ulong v) => h.BlockStore(va, (ushort)v);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Sw(Hart h, ulong va, ulong v) => h.BlockStore(va, (uint)v);
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Sd(Hart h, ulong va, ulong v) => h.BlockStore(va, v);

    /// <summary>An F or D instruction, as the interpreter runs it (illegal while mstatus.FS is off), on
    /// the register file. True if the block must leave after it: it faulted (see
    /// <see cref="Hart.BlockFaulted"/>), or a store changed code or reached a device.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool FloatingPoint(Hart h, in DecodedInsn d)
    {
        try
        {
            if (Interpreter.FloatingPoint(h, in d, h.State.X)) return h.Attention != 0;
            h.RecordBlockFault(TrapCause.IllegalInstruction, d.Raw);
        }
        catch (GuestTrapException trap)
        {
            h.RecordBlockFault(trap.Cause, trap.Value);
        }
        return true;
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
