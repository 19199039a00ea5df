using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Cpu;

/// <summary>The decoded instructions of one physical frame of code, one slot per 2-byte offset. A write
/// to the frame undoes the slots it touches, so a page mixing code and data (common in bare-metal
/// programs) keeps its decoded code; a page written often, or fence.i, drops it whole (harts then get
/// <see cref="Hart.Attention"/>).</summary>
public sealed class DecodedPage(uint pfn)
{
    public const int SlotCount = 2048;
    /// <summary>Writes after which the page is dropped instead of patched, so a frame that has become
    /// data gets fast (TLB) stores again.</summary>
    public const int WritesBeforeDrop = 64;

    public readonly DecodedInsn[] Slots = new DecodedInsn[SlotCount];

    /// <summary>The slot of the instruction at <paramref name="pc"/> (its 2-byte offset in the page).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SlotOf(ulong pc) => (int)(pc & 0xfff) >> 1;
    public readonly uint Pfn = pfn;
    public int Writes;

    /// <summary>The block engine's compiled blocks and entry counts, by slot; made when the page first
    /// gets hot and dropped whole by any write to the page (a block may span any of its slots).</summary>
    internal Jit.PageBlocks? Blocks;

    /// <summary>Marks undecoded every slot whose instruction could include a byte of [offset, offset+length):
    /// an instruction is at most 4 bytes, so it may start up to 2 bytes (one slot) before the write.</summary>
    public void Undecode(int offset, int length)
    {
        int first = Math.Max(0, (offset >> 1) - 1);
        int last = Math.Min(SlotCount - 1, (offset + length - 1) >> 1);
        for (int s = first; s <= last; s++) Slots[s].Op = Op.Undecoded;
        Blocks = null;
    }
}
