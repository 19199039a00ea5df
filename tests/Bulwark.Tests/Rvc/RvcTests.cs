using System.Globalization;
using Rv = Bulwark.Machine.Cpu.Rvc;

namespace Bulwark.Tests.Rvc;

public class RvcTests
{
    // Produced by make-vectors.sh from the GNU assembler; copied next to the test assembly.
    private static readonly string VectorPath = Path.Combine(AppContext.BaseDirectory, "Rvc", "rvc-vectors.txt");

    private static IEnumerable<(ushort Compressed, uint Expanded, string Text)> LoadVectors()
    {
        foreach (string raw in File.ReadLines(VectorPath))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            yield return (ushort.Parse(parts[0], NumberStyles.HexNumber), uint.Parse(parts[1], NumberStyles.HexNumber),
                parts.Length > 2 ? parts[2].Trim() : "");
        }
    }

    public static TheoryData<string, string, string> Vectors()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (c, x, text) in LoadVectors()) data.Add(c.ToString("x4"), x.ToString("x8"), text);
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void ExpandsLikeTheAssembler(string compressed, string expanded, string asm)
    {
        ushort c = ushort.Parse(compressed, NumberStyles.HexNumber);
        // asm is a parameter so a failure names the instruction.
        Assert.Equal((expanded, asm), (Rv.Expand(c).ToString("x8"), asm));
    }

    [Fact]
    public void VectorFileCoversEveryInstruction()
    {
        var vectors = LoadVectors().ToList();
        Assert.True(vectors.Count >= 300, $"only {vectors.Count} vectors");
        string[] mnemonics =
        [
            "c.addi4spn", "c.fld", "c.lw", "c.ld", "c.fsd", "c.sw", "c.sd", "c.nop", "c.addi", "c.addiw", "c.li",
            "c.addi16sp", "c.lui", "c.srli", "c.srai", "c.andi", "c.sub", "c.xor", "c.or", "c.and", "c.subw",
            "c.addw", "c.j", "c.beqz", "c.bnez", "c.slli", "c.fldsp", "c.lwsp", "c.ldsp", "c.jr", "c.mv",
            "c.ebreak", "c.jalr", "c.add", "c.fsdsp", "c.swsp", "c.sdsp",
        ];
        foreach (string m in mnemonics)
            Assert.Contains(vectors, v => v.Text.Split(' ')[0] == m);
    }

    [Theory]
    [InlineData(0x0000)] // all-zero halfword is defined illegal
    [InlineData(0x0004)] // C.ADDI4SPN, nzuimm=0, rd'=x9
    [InlineData(0x001c)] // C.ADDI4SPN, nzuimm=0, rd'=x15
    [InlineData(0x8000)] // quadrant 0, funct3=100 (reserved)
    [InlineData(0x9ffc)] // quadrant 0, funct3=100 with all operand bits set
    [InlineData(0x2001)] // C.ADDIW rd=0, imm=0
    [InlineData(0x2005)] // C.ADDIW rd=0, imm=1
    [InlineData(0x307d)] // C.ADDIW rd=0, imm=-1
    [InlineData(0x6101)] // C.ADDI16SP imm=0
    [InlineData(0x6001)] // C.LUI rd=0, imm=0
    [InlineData(0x6501)] // C.LUI rd=x10, imm=0
    [InlineData(0x6f81)] // C.LUI rd=x31, imm=0
    [InlineData(0x9c41)] // quadrant 1 ALU: bit12=1, funct2=10 (reserved)
    [InlineData(0x9c61)] // quadrant 1 ALU: bit12=1, funct2=11 (reserved)
    [InlineData(0x9fdd)] // same, other registers
    [InlineData(0x9ffd)] // same, other registers
    [InlineData(0x4002)] // C.LWSP rd=0
    [InlineData(0x507e)] // C.LWSP rd=0, max offset
    [InlineData(0x6002)] // C.LDSP rd=0
    [InlineData(0x707e)] // C.LDSP rd=0, max offset
    [InlineData(0x8002)] // C.JR rs1=0
    [InlineData(0x0003)] // quadrant 3 is not a compressed instruction
    [InlineData(0xffff)]
    public void IllegalEncodingsExpandToZero(int encoding)
    {
        Assert.Equal(0u, Rv.Expand((ushort)encoding));
    }

    // On RV64 the RV32-only and RV128-only encodings share their slots with RV64 instructions, so
    // they must expand to the RV64 meaning rather than be rejected. Encodings from the GNU assembler.
    [Theory]
    [InlineData(0x2505, 0x0015051bu)] // RV32 C.JAL slot: c.addiw a0,1
    [InlineData(0x6188, 0x0005b503u)] // RV32 C.FLW slot: c.ld a0,0(a1)
    [InlineData(0xe188, 0x00a5b023u)] // RV32 C.FSW slot: c.sd a0,0(a1)
    [InlineData(0x6502, 0x00013503u)] // RV32 C.FLWSP slot: c.ldsp a0,0(sp)
    [InlineData(0xe02a, 0x00a13023u)] // RV32 C.FSWSP slot: c.sdsp a0,0(sp)
    [InlineData(0x2188, 0x0005b507u)] // RV128 C.LQ slot: c.fld fa0,0(a1)
    [InlineData(0xa188, 0x00a5b027u)] // RV128 C.SQ slot: c.fsd fa0,0(a1)
    [InlineData(0x9101, 0x02055513u)] // shamt[5]=1, reserved on RV32: c.srli a0,32
    [InlineData(0x157e, 0x03f51513u)] // shamt[5]=1, reserved on RV32: c.slli a0,63
    [InlineData(0x8501, 0x40055513u)] // shamt=0 means 64 on RV128, a hint here: c.srai64 a0
    public void Rv32AndRv128SlotsExpandToTheirRv64Meaning(int compressed, uint expanded)
    {
        Assert.Equal(expanded.ToString("x8"), Rv.Expand((ushort)compressed).ToString("x8"));
    }

    [Fact]
    public void EveryCompressedHalfwordExpandsToZeroOrA32BitInstruction()
    {
        for (int i = 0; i < 0x10000; i++)
        {
            if ((i & 3) == 3) continue;
            uint x = Rv.Expand((ushort)i);
            Assert.True(x == 0 || (x & 3) == 3, $"{i:x4} -> {x:x8}");
        }
    }
}
