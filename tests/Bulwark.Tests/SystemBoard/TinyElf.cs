using System.Buffers.Binary;
using static Bulwark.Tests.Cpu.Asm;

namespace Bulwark.Tests.SystemBoard;

/// <summary>Builds a minimal bare-metal RISC-V ELF (one loadable segment of instruction words at a
/// physical address) for end-to-end tests of the board through `bulwark system`, written from the ELF64
/// layout (header 64 bytes, one 56-byte program header), without a toolchain.</summary>
public static class TinyElf
{
    public static string Write(ulong address, IEnumerable<uint> words)
    {
        var code = words.SelectMany(BitConverter.GetBytes).ToArray();
        var file = new byte[0x1000 + code.Length];
        var b = file.AsSpan();
        b[0] = 0x7f; b[1] = (byte)'E'; b[2] = (byte)'L'; b[3] = (byte)'F';
        b[4] = 2; b[5] = 1; b[6] = 1;                                    // 64-bit, little-endian, version 1
        BinaryPrimitives.WriteUInt16LittleEndian(b[16..], 2);            // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(b[18..], 243);          // EM_RISCV
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(b[24..], address);      // e_entry
        BinaryPrimitives.WriteUInt64LittleEndian(b[32..], 64);           // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(b[52..], 64);           // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(b[54..], 56);           // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(b[56..], 1);            // e_phnum
        var ph = b[64..];
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);                 // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 5);            // R+X
        BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], 0x1000);       // p_offset
        BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], address);     // p_vaddr
        BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], address);     // p_paddr
        BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)code.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], (ulong)code.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000);
        code.CopyTo(file, 0x1000);
        string path = Path.Combine(Path.GetTempPath(), $"bulwark-tiny-{Guid.NewGuid():N}.elf");
        File.WriteAllBytes(path, file);
        return path;
    }

    /// <summary>rd = a 32-bit constant (lui + addiw, rounding the upper part for addiw's sign).</summary>
    public static uint[] Li(int rd, int value)
    {
        int low = (value << 20) >> 20;
        uint high = (uint)((value - low) >> 12) & 0xfffff;
        return [Lui(rd, high), Addiw(rd, rd, low)];
    }
}
