using Bulwark.Machine.Elf;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Platforms;

/// <summary>Loads ELF files at their physical addresses (p_paddr), as QEMU's <c>-device loader,file=</c>
/// does: every loadable segment must lie in RAM, and no two segments (of any of the files) may overlap.</summary>
public static class PhysicalLoader
{
    /// <summary>Copies every file's segments into RAM; returns the address of the first <c>tohost</c>
    /// symbol found (the ISA tests' HTIF mailbox), if any.</summary>
    public static ulong? Load(PhysicalMemory ram, IReadOnlyList<string> paths)
    {
        var placed = new List<(ulong Start, ulong End, string What)>();
        ulong? tohost = null;
        foreach (var path in paths)
        {
            var image = ElfImage.Load(path);
            for (int i = 0; i < image.Headers.Count; i++)
            {
                var ph = image.Headers[i];
                if (ph.Type != ElfImage.PtLoad || ph.MemSize == 0) continue;
                string what = $"{path} segment {i} [0x{ph.PAddr:x}, 0x{ph.PAddr + ph.MemSize:x})";
                if (ph.PAddr < ram.BaseAddress || ph.PAddr + ph.MemSize > ram.BaseAddress + ram.Size)
                    throw new ElfException($"{what} lies outside RAM [0x{ram.BaseAddress:x}, 0x{ram.BaseAddress + ram.Size:x})");
                foreach (var other in placed)
                    if (ph.PAddr < other.End && other.Start < ph.PAddr + ph.MemSize)
                        throw new ElfException($"{what} overlaps {other.What}");
                placed.Add((ph.PAddr, ph.PAddr + ph.MemSize, what));
                ram.Write(ph.PAddr, image.Bytes.AsSpan((int)ph.Offset, (int)ph.FileSize));
            }
            tohost ??= image.FindSymbol("tohost");
        }
        return tohost;
    }
}
