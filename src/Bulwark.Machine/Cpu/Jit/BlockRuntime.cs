
namespace Bulwark.Machine.Cpu.Jit;

/// <summary>What compiled blocks call: the slow paths of loads and stores, F and D instructions, and the M extension's operations with
/// their RISC-V edge cases.</summary>
internal static class BlockRuntime
{
    public static ulong LbSlow(Hart h, ulong va) => (ulong)(long)h.BlockLoadSlow<sbyte>(va);
    public static ulong LhSlow(Hart h, ulong va) => (ulong)(long)h.BlockLoadSlow<short>(va);
    public static ulong LwSlow(Hart h, ulong va) => (ulong)(long)h.BlockLoadSlow<int>(va);
    public static ulong LdSlow(Hart h, ulong va) => h.BlockLoadSlow<ulong>(va);
    public static ulong LbuSlow(Hart h, ulong va) => h.BlockLoadSlow<byte>(va);
    public static ulong LhuSlow(Hart h, ulong va) => h.BlockLoadSlow<ushort>(va);
    public static ulong LwuSlow(Hart h, ulong va) => h.BlockLoadSlow<uint>(va);

    public static bool SbSlow(Hart h, ulong va, ulong v) => h.BlockStoreSlow(va, (byte)v);
    public static bool ShSlow(Hart h, ulong va, ulong v) => h.BlockStoreSlow(va, (ushort)v);
    public static bool SwSlow(Hart h, ulong va, ulong v) => h.BlockStoreSlow(va, (uint)v);
    public static bool SdSlow(Hart h, ulong va, ulong v) => h.BlockStoreSlow(va, v);

    /// <summary>An F or D instruction, as the interpreter runs it (illegal while mstatus.FS is off), on
    /// the register file. True if the block must leave after it: it faulted (see
    /// <see cref="Hart.BlockFaulted"/>), or a store changed code or reached a device.</summary>
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
