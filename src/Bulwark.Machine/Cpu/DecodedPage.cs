namespace Bulwark.Machine.Cpu;

/// <summary>The decoded instructions of one physical frame of code, one slot per 2-byte offset.
/// Dropped when the frame is written or freed (harts then get <see cref="Hart.Attention"/>).</summary>
public sealed class DecodedPage(uint pfn)
{
    public const int SlotCount = 2048;
    public readonly DecodedInsn[] Slots = new DecodedInsn[SlotCount];
    public readonly uint Pfn = pfn;
}
