using System.Buffers.Binary;

namespace Bulwark.Machine.Elf;

/// <summary>A parsed and validated ELF64 RISC-V executable. Every refusal is an <see cref="ElfException"/>
/// whose message names the file and what is wrong with it. What a platform requires beyond that (Linux:
/// no interpreter, user addresses; the system board: physical addresses in RAM) its loader checks.</summary>
public sealed class ElfImage
{
    public const ushort EtExec = 2, EtDyn = 3;
    private const ushort EmRiscv = 243;
    public const uint PtLoad = 1, PtInterp = 3, PtPhdr = 6;
    private const uint ShtSymtab = 2;

    public required string Path { get; init; }
    public required byte[] Bytes { get; init; }
    public required ushort Type { get; init; }
    public required ulong Entry { get; init; }
    public required ulong PhOff { get; init; }
    public required ushort PhEntSize { get; init; }
    public required IReadOnlyList<ProgramHeader> Headers { get; init; }

    public bool IsPositionIndependent => Type == EtDyn;

    public IEnumerable<ProgramHeader> LoadSegments => Headers.Where(h => h.Type == PtLoad);

    /// <summary>The virtual address of the program headers once loaded at <paramref name="bias"/>.</summary>
    public ulong PhdrAddress(ulong bias)
    {
        var phdr = Headers.FirstOrDefault(h => h.Type == PtPhdr);
        if (phdr != null) return phdr.VAddr + bias;
        foreach (var seg in LoadSegments)
            if (PhOff >= seg.Offset && PhOff < seg.Offset + seg.FileSize) return seg.VAddr + (PhOff - seg.Offset) + bias;
        return 0;
    }

    /// <summary>The value of the symbol <paramref name="name"/> from the symbol table, if the file has one
    /// and it defines the name (the system board finds HTIF's <c>tohost</c> this way, as Spike does).</summary>
    public ulong? FindSymbol(string name)
    {
        var b = Bytes.AsSpan();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(b[40..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(b[58..]);
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(b[60..]);
        if (shoff == 0 || shentsize != 64 || !Fits(shoff, (ulong)shnum * 64)) return null;
        for (int i = 0; i < shnum; i++)
        {
            var sh = b[(int)(shoff + (ulong)i * 64)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtSymtab) continue;
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(sh[32..]);
            uint link = BinaryPrimitives.ReadUInt32LittleEndian(sh[40..]);
            if (!Fits(offset, size) || link >= shnum) return null;
            var strtab = b[(int)(shoff + link * 64UL)..];
            ulong strOffset = BinaryPrimitives.ReadUInt64LittleEndian(strtab[24..]);
            ulong strSize = BinaryPrimitives.ReadUInt64LittleEndian(strtab[32..]);
            if (!Fits(strOffset, strSize)) return null;
            var strings = b.Slice((int)strOffset, (int)strSize);
            for (ulong at = offset; at + 24 <= offset + size; at += 24)
            {
                var sym = b[(int)at..];
                uint nameAt = BinaryPrimitives.ReadUInt32LittleEndian(sym);
                if (nameAt >= strings.Length) continue;
                var rest = strings[(int)nameAt..];
                int end = rest.IndexOf((byte)0);
                if (end == name.Length && System.Text.Encoding.ASCII.GetString(rest[..end]) == name)
                    return BinaryPrimitives.ReadUInt64LittleEndian(sym[8..]);
            }
        }
        return null;
    }

    private bool Fits(ulong offset, ulong length) => offset <= (ulong)Bytes.Length && length <= (ulong)Bytes.Length - offset;

    public static ElfImage Load(string path)
    {
        if (Directory.Exists(path)) throw new ElfException($"{path}: is a directory, not an ELF file");
        if (!File.Exists(path)) throw new ElfException($"{path}: no such file");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ElfException($"{path}: cannot read: {e.Message}"); }
        return Parse(path, bytes);
    }

    public static ElfImage Parse(string path, byte[] b)
    {
        if (b.Length < 4 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new ElfException($"{path}: not an ELF file (bad magic at offset 0)");
        if (b.Length < 64) throw new ElfException($"{path}: truncated ELF header ({b.Length} bytes, need 64)");
        if (b[4] != 2) throw new ElfException($"{path}: 32-bit ELF (EI_CLASS={b[4]} at offset 4); Bulwark runs 64-bit RISC-V programs");
        if (b[5] != 1) throw new ElfException($"{path}: big-endian ELF (EI_DATA={b[5]} at offset 5); RISC-V is little-endian");
        var span = b.AsSpan();
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(span[16..]);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(span[18..]);
        if (machine != EmRiscv) throw new ElfException($"{path}: ELF for {MachineName(machine)} (e_machine={machine} at offset 18), not RISC-V");
        if (type != EtExec && type != EtDyn) throw new ElfException($"{path}: ELF type {type} (e_type at offset 16) is not an executable");
        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(span[24..]);
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(span[32..]);
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[54..]);
        ushort phnum = BinaryPrimitives.ReadUInt16LittleEndian(span[56..]);
        if (phnum == 0) throw new ElfException($"{path}: no program headers (e_phnum=0 at offset 56)");
        if (phentsize != 56) throw new ElfException($"{path}: e_phentsize is {phentsize} at offset 54, expected 56");
        if (phoff > (ulong)b.Length || phoff + (ulong)phnum * 56 > (ulong)b.Length)
            throw new ElfException($"{path}: program headers at offset {phoff} run past the end of the file ({b.Length} bytes)");
        var headers = new List<ProgramHeader>();
        for (int i = 0; i < phnum; i++)
        {
            var h = span[(int)(phoff + (ulong)i * 56)..];
            var ph = new ProgramHeader(
                BinaryPrimitives.ReadUInt32LittleEndian(h),
                BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[48..]));
            long at = (long)(phoff + (ulong)i * 56);
            if (ph.Type == PtLoad)
            {
                if (ph.FileSize > ph.MemSize)
                    throw new ElfException($"{path}: program header {i} (offset {at}): p_filesz {ph.FileSize} exceeds p_memsz {ph.MemSize}");
                if (ph.Offset + ph.FileSize > (ulong)b.Length || ph.Offset + ph.FileSize < ph.Offset)
                    throw new ElfException($"{path}: program header {i} (offset {at}): segment data at {ph.Offset}+{ph.FileSize} runs past the end of the file ({b.Length} bytes)");
                if (ph.Align > 1 && (ph.VAddr - ph.Offset) % ph.Align != 0)
                    throw new ElfException($"{path}: program header {i} (offset {at}): p_vaddr and p_offset disagree modulo p_align");
                if (ph.VAddr + ph.MemSize < ph.VAddr || ph.PAddr + ph.MemSize < ph.PAddr)
                    throw new ElfException($"{path}: program header {i} (offset {at}): segment {ph.VAddr:x}+{ph.MemSize:x} wraps around the address space");
            }
            headers.Add(ph);
        }
        if (!headers.Any(h => h.Type == PtLoad)) throw new ElfException($"{path}: no PT_LOAD segment");
        return new ElfImage { Path = path, Bytes = b, Type = type, Entry = entry, PhOff = phoff, PhEntSize = phentsize, Headers = headers };
    }

    private static string MachineName(ushort machine) => machine switch
    {
        3 => "x86 (EM_386)",
        8 => "MIPS (EM_MIPS)",
        20 => "PowerPC (EM_PPC)",
        21 => "PowerPC64 (EM_PPC64)",
        40 => "ARM (EM_ARM)",
        62 => "x86-64 (EM_X86_64)",
        183 => "AArch64 (EM_AARCH64)",
        _ => $"machine {machine}",
    };
}

public sealed record ProgramHeader(uint Type, uint Flags, ulong Offset, ulong VAddr, ulong PAddr, ulong FileSize, ulong MemSize, ulong Align);

public sealed class ElfException(string message) : Exception(message);
