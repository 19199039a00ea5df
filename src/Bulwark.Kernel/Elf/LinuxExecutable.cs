using Bulwark.Machine.Elf;

namespace Bulwark.Kernel.Elf;

/// <summary>What Linux requires of an ELF beyond its being a RISC-V executable: it is static (this
/// kernel has no dynamic loader), its segments lie in the Sv39 user address space, and it starts in
/// an executable segment (bare-metal images, such as the ISA tests, often mark none).</summary>
public static class LinuxExecutable
{
    private const ulong UserTop = 0x40_0000_0000UL;

    public static ElfImage Load(string path) => Check(ElfImage.Load(path));

    /// <summary>An image from the guest's own file system (execve).</summary>
    public static ElfImage Parse(string path, byte[] bytes) => Check(ElfImage.Parse(path, bytes));

    private static ElfImage Check(ElfImage image)
    {
        string path = image.Path;
        for (int i = 0; i < image.Headers.Count; i++)
        {
            var ph = image.Headers[i];
            if (ph.Type == ElfImage.PtInterp)
                throw new ElfException($"{path}: dynamically linked (PT_INTERP in program header {i}); build with -static");
            if (ph.Type == ElfImage.PtLoad && ph.VAddr + ph.MemSize > UserTop)
                throw new ElfException($"{path}: program header {i} (offset {image.PhOff + (ulong)i * image.PhEntSize}): segment {ph.VAddr:x}+{ph.MemSize:x} lies outside the Sv39 user address space");
        }
        if (image.Type == ElfImage.EtExec && !image.LoadSegments.Any(h => image.Entry >= h.VAddr && image.Entry < h.VAddr + h.MemSize && (h.Flags & 1) != 0))
            throw new ElfException($"{path}: entry point 0x{image.Entry:x} (e_entry at offset 24) is not in an executable segment");
        return image;
    }
}
