namespace Bulwark.Machine.Cpu;

/// <summary>The A extension's AMOs. Harts are interleaved on one host thread, so a read-modify-write
/// done here is indivisible with respect to every other hart.</summary>
internal static class Atomics
{
    public static void Execute(Hart hart, in DecodedInsn d, ulong[] x)
    {
        ulong va = x[d.Rs1];
        ulong src = x[d.Rs2];
        if (d.Op <= Op.AmoMaxuW)
        {
            ref uint cell = ref hart.AtomicRef<uint>(va);
            uint old = cell;
            uint b = (uint)src;
            cell = d.Op switch
            {
                Op.AmoSwapW => b,
                Op.AmoAddW => old + b,
                Op.AmoXorW => old ^ b,
                Op.AmoAndW => old & b,
                Op.AmoOrW => old | b,
                Op.AmoMinW => (int)old < (int)b ? old : b,
                Op.AmoMaxW => (int)old > (int)b ? old : b,
                Op.AmoMinuW => old < b ? old : b,
                _ => old > b ? old : b,
            };
            x[d.Rd] = (ulong)(long)(int)old;
        }
        else
        {
            ref ulong cell = ref hart.AtomicRef<ulong>(va);
            ulong old = cell;
            cell = d.Op switch
            {
                Op.AmoSwapD => src,
                Op.AmoAddD => old + src,
                Op.AmoXorD => old ^ src,
                Op.AmoAndD => old & src,
                Op.AmoOrD => old | src,
                Op.AmoMinD => (long)old < (long)src ? old : src,
                Op.AmoMaxD => (long)old > (long)src ? old : src,
                Op.AmoMinuD => old < src ? old : src,
                _ => old > src ? old : src,
            };
            x[d.Rd] = old;
        }
    }
}
