using Bulwark.Machine.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>RV64I register-register and register-immediate arithmetic. Expected values are worked out
/// from the unprivileged ISA, chapters "RV32I" and "RV64I" (section 4.2, "Integer Computational
/// Instructions"): all arithmetic is modulo 2^64, *W forms operate on the low 32 bits and sign-extend
/// the 32-bit result, and shift amounts come from the low 6 (RV64) or 5 (*W) bits of rs2.</summary>
public abstract class AluTests(EngineKind engine)
{
    private ulong Binary(uint insn, ulong a, ulong b) => CpuFixture.Binary(insn, a, b, engine);
    private ulong Unary(uint insn, ulong a) => CpuFixture.Unary(insn, a, engine);

    private const ulong Min64 = 0x8000_0000_0000_0000;
    private const ulong Max64 = 0x7fff_ffff_ffff_ffff;
    private const ulong Ones = ulong.MaxValue;

    [Theory]
    [InlineData(Max64, 1UL, Min64)]           // signed overflow wraps
    [InlineData(Ones, 1UL, 0UL)]              // unsigned carry out is dropped
    [InlineData(Min64, Min64, 0UL)]
    [InlineData(0x0000_0000_ffff_ffffUL, 1UL, 0x0000_0001_0000_0000UL)] // no 32-bit truncation
    public void Add_WrapsModulo2To64(ulong a, ulong b, ulong expected) =>
        Assert.Equal(expected, Binary(Add(3, 1, 2), a, b));

    [Theory]
    [InlineData(0UL, 1UL, Ones)]
    [InlineData(Min64, 1UL, Max64)]
    [InlineData(5UL, 7UL, 0xffff_ffff_ffff_fffeUL)]
    public void Sub_WrapsModulo2To64(ulong a, ulong b, ulong expected) =>
        Assert.Equal(expected, Binary(Sub(3, 1, 2), a, b));

    [Theory]
    [InlineData(Ones, 1UL, 1UL, 0UL)]          // -1 < 1 signed, but 2^64-1 > 1 unsigned
    [InlineData(1UL, Ones, 0UL, 1UL)]
    [InlineData(Min64, Max64, 1UL, 0UL)]
    [InlineData(5UL, 5UL, 0UL, 0UL)]
    [InlineData(0xffff_ffff_ffff_fffeUL, Ones, 1UL, 1UL)] // -2 < -1 both ways
    public void Slt_Sltu(ulong a, ulong b, ulong slt, ulong sltu)
    {
        Assert.Equal(slt, Binary(Slt(3, 1, 2), a, b));
        Assert.Equal(sltu, Binary(Sltu(3, 1, 2), a, b));
    }

    [Theory]
    [InlineData(unchecked((ulong)-5L), -4, 1UL)]
    [InlineData(unchecked((ulong)-5L), -5, 0UL)]
    [InlineData(unchecked((ulong)-5L), -6, 0UL)]
    [InlineData(0UL, -1, 0UL)]
    [InlineData(Min64, 0, 1UL)]
    [InlineData(Max64, 2047, 0UL)]
    public void Slti_ComparesSigned(ulong a, int imm, ulong expected) =>
        Assert.Equal(expected, Unary(Slti(3, 1, imm), a));

    [Theory]
    // The immediate is sign-extended first, then compared unsigned: -1 becomes 2^64-1.
    [InlineData(5UL, -1, 1UL)]
    [InlineData(Ones, -1, 0UL)]
    [InlineData(0xffff_ffff_ffff_fffeUL, -1, 1UL)]
    [InlineData(0UL, 1, 1UL)]       // seqz
    [InlineData(7UL, 1, 0UL)]
    [InlineData(Ones, 2047, 0UL)]   // -1 is huge unsigned
    public void Sltiu_SignExtendsImmediateThenComparesUnsigned(ulong a, int imm, ulong expected) =>
        Assert.Equal(expected, Unary(Sltiu(3, 1, imm), a));

    // Value with bits 63, 31 and 0 set.
    private const ulong V = 0x8000_0000_8000_0001;

    [Theory]
    [InlineData(0, V, V, V)]
    [InlineData(31, 0x4000_0000_8000_0000UL, 0x0000_0001_0000_0001UL, 0xffff_ffff_0000_0001UL)]
    [InlineData(32, 0x8000_0001_0000_0000UL, 0x0000_0000_8000_0000UL, 0xffff_ffff_8000_0000UL)]
    [InlineData(63, 0x8000_0000_0000_0000UL, 0x0000_0000_0000_0001UL, 0xffff_ffff_ffff_ffffUL)]
    public void Shifts64_RegisterAndImmediate(int shamt, ulong sll, ulong srl, ulong sra)
    {
        Assert.Equal(sll, Binary(Sll(3, 1, 2), V, (ulong)shamt));
        Assert.Equal(srl, Binary(Srl(3, 1, 2), V, (ulong)shamt));
        Assert.Equal(sra, Binary(Sra(3, 1, 2), V, (ulong)shamt));
        Assert.Equal(sll, Unary(Slli(3, 1, shamt), V));
        Assert.Equal(srl, Unary(Srli(3, 1, shamt), V));
        Assert.Equal(sra, Unary(Srai(3, 1, shamt), V));
    }

    [Fact]
    public void Shifts64_UseOnlyLow6BitsOfRs2()
    {
        // rs2 = 0xffff_ffff_ffff_ff44: low six bits are 4.
        const ulong amount = 0xffff_ffff_ffff_ff44;
        Assert.Equal(0x0000_0008_0000_0010UL, Binary(Sll(3, 1, 2), V, amount));
        Assert.Equal(0x0800_0000_0800_0000UL, Binary(Srl(3, 1, 2), V, amount));
        Assert.Equal(0xf800_0000_0800_0000UL, Binary(Sra(3, 1, 2), V, amount));
    }

    // Upper half is garbage that the *W forms must ignore; low word 0x8000_0001.
    private const ulong W = 0x1234_5678_8000_0001;

    [Theory]
    // The *W register forms use only rs2[4:0]: 32 behaves as 0 and 63 as 31.
    [InlineData(0UL, 0xffff_ffff_8000_0001UL, 0xffff_ffff_8000_0001UL, 0xffff_ffff_8000_0001UL)]
    [InlineData(1UL, 0x0000_0000_0000_0002UL, 0x0000_0000_4000_0000UL, 0xffff_ffff_c000_0000UL)]
    [InlineData(31UL, 0xffff_ffff_8000_0000UL, 0x0000_0000_0000_0001UL, 0xffff_ffff_ffff_ffffUL)]
    [InlineData(32UL, 0xffff_ffff_8000_0001UL, 0xffff_ffff_8000_0001UL, 0xffff_ffff_8000_0001UL)]
    [InlineData(63UL, 0xffff_ffff_8000_0000UL, 0x0000_0000_0000_0001UL, 0xffff_ffff_ffff_ffffUL)]
    public void Shifts32_MaskTo5BitsAndSignExtend(ulong amount, ulong sllw, ulong srlw, ulong sraw)
    {
        Assert.Equal(sllw, Binary(Sllw(3, 1, 2), W, amount));
        Assert.Equal(srlw, Binary(Srlw(3, 1, 2), W, amount));
        Assert.Equal(sraw, Binary(Sraw(3, 1, 2), W, amount));
        int sh = (int)(amount & 31);
        Assert.Equal(sllw, Unary(Slliw(3, 1, sh), W));
        Assert.Equal(srlw, Unary(Srliw(3, 1, sh), W));
        Assert.Equal(sraw, Unary(Sraiw(3, 1, sh), W));
    }

    [Fact]
    public void Srliw_ByNonzeroOfPositiveWordZeroExtends()
    {
        // 0x7fff_fff0 >> 4 = 0x07ff_ffff, sign bit 0.
        Assert.Equal(0x07ff_ffffUL, Unary(Srliw(3, 1, 4), 0xffff_ffff_7fff_fff0));
    }

    [Fact]
    public void ImmediateWordShiftWithShamt5Set_IsIllegal()
    {
        // SLLIW/SRLIW/SRAIW with imm[5] != 0 are reserved on RV64.
        uint slliw32 = Slliw(3, 1, 0) | (1u << 25);
        var f = new CpuFixture(engine: engine);
        f.Load(slliw32, Ecall);
        var h = f.RunToTrap(TrapCause.IllegalInstruction);
        Assert.Equal(slliw32, h.TrapValue);
    }

    [Theory]
    [InlineData(0x80000u, 0xffff_ffff_8000_0000UL)]
    [InlineData(0xfffffu, 0xffff_ffff_ffff_f000UL)]
    [InlineData(0x7ffffu, 0x0000_0000_7fff_f000UL)]
    [InlineData(0x00001u, 0x0000_0000_0000_1000UL)]
    public void Lui_SignExtendsBit31(uint imm20, ulong expected)
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Lui(5, imm20), Ecall);
        f.X[5] = 0x5555;
        f.RunToEcall();
        Assert.Equal(expected, f.X[5]);
    }

    [Fact]
    public void Auipc_AddsSignExtendedUpperImmediateToItsOwnPc()
    {
        var f = new CpuFixture(engine: engine);
        // Second instruction is at 0x10004.
        f.Load(Auipc(5, 0xfffff), Auipc(6, 0xfffff), Auipc(7, 0x80000), Auipc(8, 0x1), Ecall);
        f.RunToEcall();
        Assert.Equal(0x10000UL - 0x1000, f.X[5]);
        Assert.Equal(0x10004UL - 0x1000, f.X[6]);
        Assert.Equal(unchecked(0x10008UL - 0x8000_0000UL), f.X[7]);
        Assert.Equal(0x1000cUL + 0x1000, f.X[8]);
    }

    [Theory]
    [InlineData(0x7fff_ffffUL, 1, 0xffff_ffff_8000_0000UL)]
    [InlineData(0x0000_0001_0000_0005UL, 0, 5UL)]                 // sext.w drops the upper half
    [InlineData(0x0000_0000_ffff_ffffUL, 0, Ones)]
    [InlineData(0xffff_ffff_8000_0000UL, -1, 0x0000_0000_7fff_ffffUL)]
    public void Addiw_SignExtends32BitResult(ulong a, int imm, ulong expected) =>
        Assert.Equal(expected, Unary(Addiw(3, 1, imm), a));

    [Fact]
    public void Addw_Subw_SignExtend32BitResult()
    {
        Assert.Equal(0xffff_ffff_8000_0000UL, Binary(Addw(3, 1, 2), 0x7fff_ffff, 1));
        Assert.Equal(0x7fff_ffffUL, Binary(Subw(3, 1, 2), 0x8000_0000, 1));
        Assert.Equal(3UL, Binary(Addw(3, 1, 2), 0xaaaa_aaaa_0000_0001, 0x5555_5555_0000_0002));
    }

    [Fact]
    public void Logical_ImmediatesAreSignExtended()
    {
        const ulong a = 0xffff_0000_ffff_00ff;
        Assert.Equal(0xffff_0000_ffff_00f0UL, Unary(Andi(3, 1, -16), a));
        Assert.Equal(0x0000_ffff_0000_ff00UL, Unary(Xori(3, 1, -1), a));   // not
        Assert.Equal(0xffff_ffff_ffff_ffffUL, Unary(Ori(3, 1, -256), a));
        Assert.Equal(0xffff_0000_ffff_07ffUL, Unary(Ori(3, 1, 0x7ff), a));
        Assert.Equal(0x0000_0000_0000_00ffUL, Unary(Andi(3, 1, 0x7ff), a));
        Assert.Equal(0x0f00_0000_0f00_00f0UL, Binary(And(3, 1, 2), 0x0f0f_0000_0f0f_00ff, 0xff00_00ff_ff00_00f0));
        Assert.Equal(0xff0f_00ff_ff0f_00ffUL, Binary(Or(3, 1, 2), 0x0f0f_0000_0f0f_00ff, 0xff00_00ff_ff00_00f0));
        Assert.Equal(0xf00f_00ff_f00f_000fUL, Binary(Xor(3, 1, 2), 0x0f0f_0000_0f0f_00ff, 0xff00_00ff_ff00_00f0));
    }

    [Fact]
    public void WritesToX0_AreIgnored()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(
            Addi(0, 0, 5),
            Lui(0, 0x12345),
            Auipc(0, 1),
            Add(0, 1, 1),
            Lw(0, 2, 0),          // the load still happens, the value is dropped
            Jal(0, 4),            // link dropped
            Add(3, 0, 0),         // x3 = x0 + x0
            Addi(4, 0, 7),        // x4 = x0 + 7
            Ecall);
        f.X[1] = 21;
        f.X[2] = DataVa;
        f.X[3] = 0xdead;
        f.Write32(f.Data, 0, 0x1234_5678);
        f.RunToEcall();
        Assert.Equal(0UL, f.X[0]);
        Assert.Equal(0UL, f.X[3]);
        Assert.Equal(7UL, f.X[4]);
    }
}

public sealed class AluTestsOnInterpreter() : AluTests(EngineKind.Interpreter);

public sealed class AluTestsOnJit() : AluTests(EngineKind.Jit);
