using static Bulwark.Tests.Cpu.Asm;

namespace Bulwark.Tests.Cpu;

/// <summary>Checks the test-side assembler against encodings produced once by the GNU assembler
/// (riscv64-linux-gnu-as -march=rv64gc, objdump -M no-aliases), so the CPU tests do not rest on an
/// encoder that shares a mistake with the decoder.</summary>
public class AsmTests
{
    public static TheoryData<string, uint, uint> Words() => new()
    {
        { "add x3, x1, x2", Add(3, 1, 2), 0x002081b3 },
        { "sub x3, x1, x2", Sub(3, 1, 2), 0x402081b3 },
        { "sraw x3, x1, x2", Sraw(3, 1, 2), 0x4020d1bb },
        { "addi x5, x6, -2048", Addi(5, 6, -2048), 0x80030293 },
        { "sltiu x3, x1, -1", Sltiu(3, 1, -1), 0xfff0b193 },
        { "srai x3, x1, 63", Srai(3, 1, 63), 0x43f0d193 },
        { "slli x3, x1, 32", Slli(3, 1, 32), 0x02009193 },
        { "sraiw x3, x1, 31", Sraiw(3, 1, 31), 0x41f0d19b },
        { "lui x1, 0x80000", Lui(1, 0x80000), 0x800000b7 },
        { "auipc x1, 0xfffff", Auipc(1, 0xfffff), 0xfffff097 },
        { "lb x2, -16(x1)", Lb(2, 1, -16), 0xff008103 },
        { "lwu x2, 2047(x1)", Lwu(2, 1, 2047), 0x7ff0e103 },
        { "sd x2, -8(x1)", Sd(2, 1, -8), 0xfe20bc23 },
        { "sh x31, 2047(x1)", Sh(31, 1, 2047), 0x7ff09fa3 },
        { "beq x1, x2, -4096", Beq(1, 2, -4096), 0x80208063 },
        { "bgeu x1, x2, 4094", Bgeu(1, 2, 4094), 0x7e20ffe3 },
        { "bne x1, x0, -8", Bne(1, 0, -8), 0xfe009ce3 },
        { "blt x5, x6, 8", Blt(5, 6, 8), 0x0062c463 },
        { "jal x1, -2048", Jal(1, -2048), 0x801ff0ef },
        { "jal x0, 1048574", Jal(0, 1048574), 0x7ffff06f },
        { "jal x1, 12", Jal(1, 12), 0x00c000ef },
        { "jalr x2, -1(x1)", Jalr(2, 1, -1), 0xfff08167 },
        { "mulhsu x3, x1, x2", Mulhsu(3, 1, 2), 0x0220a1b3 },
        { "remuw x3, x1, x2", Remuw(3, 1, 2), 0x0220f1bb },
        { "lr.d x3, (x1)", LrD(3, 1), 0x1000b1af },
        { "sc.w x4, x3, (x1)", ScW(4, 3, 1), 0x1830a22f },
        { "amomaxu.d.aqrl x3, x2, (x1)", AmoOp(F5Maxu, true, 3, 1, 2, aq: true, rl: true), 0xe620b1af },
        { "amoswap.w x3, x2, (x1)", AmoOp(F5Swap, false, 3, 1, 2), 0x0820a1af },
        { "csrrs x5, instret, x0", Csrrs(5, CsrInstret, 0), 0xc02022f3 },
        { "csrrwi x2, frm, 3", Csrrwi(2, CsrFrm, 3), 0x0021d173 },
        { "csrrci x2, fflags, 1", Csrrci(2, CsrFflags, 1), 0x0010f173 },
        // Zba/Zbb/Zbs: riscv64-linux-gnu-as -march=rv64gc_zba_zbb_zbs (binutils 2.40).
        { "add.uw x3, x1, x2", AddUw(3, 1, 2), 0x082081bb },
        { "sh1add x3, x1, x2", Sh1add(3, 1, 2), 0x2020a1b3 },
        { "sh2add x3, x1, x2", Sh2add(3, 1, 2), 0x2020c1b3 },
        { "sh3add x3, x1, x2", Sh3add(3, 1, 2), 0x2020e1b3 },
        { "sh1add.uw x3, x1, x2", Sh1addUw(3, 1, 2), 0x2020a1bb },
        { "sh2add.uw x3, x1, x2", Sh2addUw(3, 1, 2), 0x2020c1bb },
        { "sh3add.uw x3, x1, x2", Sh3addUw(3, 1, 2), 0x2020e1bb },
        { "slli.uw x3, x1, 0", SlliUw(3, 1, 0), 0x0800919b },
        { "slli.uw x3, x1, 63", SlliUw(3, 1, 63), 0x0bf0919b },
        { "andn x3, x1, x2", Andn(3, 1, 2), 0x4020f1b3 },
        { "orn x3, x1, x2", Orn(3, 1, 2), 0x4020e1b3 },
        { "xnor x3, x1, x2", Xnor(3, 1, 2), 0x4020c1b3 },
        { "clz x3, x1", Clz(3, 1), 0x60009193 },
        { "clzw x3, x1", Clzw(3, 1), 0x6000919b },
        { "ctz x3, x1", Ctz(3, 1), 0x60109193 },
        { "ctzw x3, x1", Ctzw(3, 1), 0x6010919b },
        { "cpop x3, x1", Cpop(3, 1), 0x60209193 },
        { "cpopw x3, x1", Cpopw(3, 1), 0x6020919b },
        { "max x3, x1, x2", Max(3, 1, 2), 0x0a20e1b3 },
        { "maxu x3, x1, x2", Maxu(3, 1, 2), 0x0a20f1b3 },
        { "min x3, x1, x2", Min(3, 1, 2), 0x0a20c1b3 },
        { "minu x3, x1, x2", Minu(3, 1, 2), 0x0a20d1b3 },
        { "sext.b x3, x1", SextB(3, 1), 0x60409193 },
        { "sext.h x3, x1", SextH(3, 1), 0x60509193 },
        { "zext.h x3, x1", ZextH(3, 1), 0x0800c1bb },
        { "rol x3, x1, x2", Rol(3, 1, 2), 0x602091b3 },
        { "rolw x3, x1, x2", Rolw(3, 1, 2), 0x602091bb },
        { "ror x3, x1, x2", Ror(3, 1, 2), 0x6020d1b3 },
        { "rorw x3, x1, x2", Rorw(3, 1, 2), 0x6020d1bb },
        { "rori x3, x1, 63", Rori(3, 1, 63), 0x63f0d193 },
        { "rori x3, x1, 1", Rori(3, 1, 1), 0x6010d193 },
        { "roriw x3, x1, 31", Roriw(3, 1, 31), 0x61f0d19b },
        { "orc.b x3, x1", OrcB(3, 1), 0x2870d193 },
        { "rev8 x3, x1", Rev8(3, 1), 0x6b80d193 },
        { "bclr x3, x1, x2", Bclr(3, 1, 2), 0x482091b3 },
        { "bclri x3, x1, 63", Bclri(3, 1, 63), 0x4bf09193 },
        { "bext x3, x1, x2", Bext(3, 1, 2), 0x4820d1b3 },
        { "bexti x3, x1, 63", Bexti(3, 1, 63), 0x4bf0d193 },
        { "binv x3, x1, x2", Binv(3, 1, 2), 0x682091b3 },
        { "binvi x3, x1, 63", Binvi(3, 1, 63), 0x6bf09193 },
        { "bset x3, x1, x2", Bset(3, 1, 2), 0x282091b3 },
        { "bseti x3, x1, 63", Bseti(3, 1, 63), 0x2bf09193 },
        { "bseti x31, x30, 0", Bseti(31, 30, 0), 0x280f1f93 },
    };

    [Theory]
    [MemberData(nameof(Words))]
    public void EncodesLikeGnuAs(string text, uint encoded, uint expected) =>
        Assert.True(expected == encoded, $"{text}: expected 0x{expected:x8}, encoder gave 0x{encoded:x8}");

    public static TheoryData<string, ushort, ushort> Parcels() => new()
    {
        { "c.addi x8, -3", CAddi(8, -3), 0x1475 },
        { "c.li x9, 31", CLi(9, 31), 0x44fd },
        { "c.j -2048", CJ(-2048), 0xb001 },
        { "c.j 2046", CJ(2046), 0xaffd },
        { "c.j 6", CJ(6), 0xa019 },
        { "c.beqz x10, -256", CBeqz(10, -256), 0xd101 },
        { "c.bnez x15, 254", CBnez(15, 254), 0xeffd },
        { "c.beqz x8, 6", CBeqz(8, 6), 0xc019 },
        { "c.ldsp x11, 504(sp)", CLdsp(11, 504), 0x75fe },
        { "c.sdsp x8, 8(sp)", CSdsp(8, 8), 0xe422 },
        { "c.sdsp x31, 504(sp)", CSdsp(31, 504), 0xfffe },
    };

    [Theory]
    [MemberData(nameof(Parcels))]
    public void CompressedEncodesLikeGnuAs(string text, ushort encoded, ushort expected) =>
        Assert.True(expected == encoded, $"{text}: expected 0x{expected:x4}, encoder gave 0x{encoded:x4}");
}
