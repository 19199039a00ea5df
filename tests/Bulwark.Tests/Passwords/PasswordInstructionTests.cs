using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Passwords;
using Bulwark.Tests.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Passwords.FarFixture;
using static Bulwark.Tests.Passwords.PwdAsm;

namespace Bulwark.Tests.Passwords;

/// <summary>The password instructions on a bare machine (password mode): far loads and stores of every
/// width checked against the segment's password for the access kind, loadpv/verifyp/storepv, the
/// password registers' loads and stores, their own immediates and destination registers, and their own
/// trap causes.</summary>
public class PasswordInstructionTests
{
    private static FarFixture WithBytes()
    {
        var f = new FarFixture();
        // Bytes f0 de bc 9a 78 56 34 92 at SegA + 16.
        BitConverter.TryWriteBytes(f.Page(f.A).AsSpan(16), 0x9234_5678_9abc_def0UL);
        f.X[1] = SegA + 16;
        return f;
    }

    [Theory]
    [InlineData(0u, 0xffff_ffff_ffff_fff0UL)]
    [InlineData(1u, 0xffff_ffff_ffff_def0UL)]
    [InlineData(2u, 0xffff_ffff_9abc_def0UL)]
    [InlineData(3u, 0x9234_5678_9abc_def0UL)]
    [InlineData(4u, 0x0000_0000_0000_00f0UL)]
    [InlineData(5u, 0x0000_0000_0000_def0UL)]
    [InlineData(6u, 0x0000_0000_9abc_def0UL)]
    public void FarLoads_OfEveryWidth_WithTheReadPassword(uint f3, ulong expected)
    {
        var f = WithBytes();
        f.SetPr(3, AR);
        f.Cpu.Load(FarLoad(f3, 5, 1, 3), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(expected, f.X[5]);
        Assert.Equal(1, f.Far.FarAccesses);
    }

    [Fact]
    public void FarLoad_WithTheReadWritePassword_AlsoReads()
    {
        var f = WithBytes();
        f.SetPr(0, ARW);
        f.Cpu.Load(FarLd(31, 1, 0), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(0x9234_5678_9abc_def0UL, f.X[31]);
    }

    [Fact]
    public void FarLoad_OwnImmediate_NegativeAndPositiveOffsets()
    {
        var f = WithBytes();
        f.SetPr(7, AR);
        f.X[2] = SegA + 16 + 256;
        f.Cpu.Load(FarLbu(5, 2, 7, -256), FarLbu(6, 1, 7, 255), Ecall);
        f.Page(f.A)[16 + 255] = 0x5a;
        f.Cpu.RunToEcall();
        Assert.Equal(0xf0UL, f.X[5]);
        Assert.Equal(0x5aUL, f.X[6]);
    }

    [Fact]
    public void FarLoad_IntoX0_WritesNothing()
    {
        var f = WithBytes();
        f.SetPr(0, AR);
        f.Cpu.Load(FarLd(0, 1, 0), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(0UL, f.X[0]);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("execute")]
    [InlineData("other segment's")]
    public void FarLoad_WithAPasswordThatDoesNotOpenThePage_IsAPasswordFault(string which)
    {
        var f = WithBytes();
        f.SetPr(2, which switch { "none" => Password128.Zero, "execute" => AX, _ => BRW });
        f.X[5] = 77;
        f.Cpu.Load(Nop, FarLd(5, 1, 2), Ecall);
        var h = f.Cpu.RunToTrap(TrapCause.PasswordFault);
        Assert.Equal(SegA + 16, h.TrapValue);
        Assert.Equal(CpuFixture.CodeVa + 4, f.Cpu.State.Pc);  // pc stays on the far load
        Assert.Equal(2, h.FarFaultRegister);
        Assert.Equal(77UL, f.X[5]);
        Assert.Equal(1, f.Far.ChecksFailed);
    }

    [Fact]
    public void FarLoad_OutsideEverySegment_IsAPasswordFault()
    {
        var f = new FarFixture();
        f.SetPr(0, AR);
        f.X[1] = CpuFixture.DataVa;   // mapped near, but no segment: far accesses reach only segments
        f.Cpu.Load(FarLd(5, 1, 0), Ecall);
        Assert.Equal(CpuFixture.DataVa, f.Cpu.RunToTrap(TrapCause.PasswordFault).TrapValue);
    }

    [Fact]
    public void NearLoad_OfASegment_IsAPageFault()
    {
        var f = WithBytes();
        f.Cpu.Load(Ld(5, 1, 0), Ecall);
        Assert.Equal(SegA + 16, f.Cpu.RunToTrap(TrapCause.LoadPageFault).TrapValue);
    }

    [Theory]
    [InlineData(0u, 1, 0x00000000000000abUL)]
    [InlineData(1u, 2, 0x000000000000cdabUL)]
    [InlineData(2u, 4, 0x0000000089efcdabUL)]
    [InlineData(3u, 8, 0x0123456789efcdabUL)]
    public void FarStores_OfEveryWidth_NeedTheReadWritePassword(uint f3, int size, ulong expected)
    {
        var f = new FarFixture();
        f.Hart.UserTag = 1007;
        f.SetPr(1, ARW);
        f.X[1] = SegA + 4096 + 40;
        f.X[2] = 0x0123_4567_89ef_cdab;
        f.Cpu.Load(FarStore(f3, 1, 2, 1, -8), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(expected, BitConverter.ToUInt64(f.Page(f.A, 1), 32));
        Assert.Equal(1007u, f.A.WriterTags[(4096 + 32) / 8]);
        _ = size;
    }

    [Fact]
    public void FarStore_WithTheReadPassword_FaultsAndWritesNothing()
    {
        var f = new FarFixture();
        f.SetPr(1, AR);
        f.X[1] = SegA;
        f.X[2] = 0x42;
        f.Cpu.Load(FarSd(1, 2, 1), Ecall);
        Assert.Equal(SegA, f.Cpu.RunToTrap(TrapCause.PasswordFault).TrapValue);
        Assert.Equal(0UL, BitConverter.ToUInt64(f.Page(f.A), 0));
        Assert.Equal(0u, f.A.WriterTags[0]);
    }

    [Fact]
    public void FarAccess_AcrossTwoPagesOfASegment_ChecksBoth()
    {
        var f = new FarFixture();
        f.SetPr(0, ARW);
        f.X[1] = SegA + 4092;
        f.X[2] = 0x1122_3344_5566_7788;
        f.Cpu.Load(FarSd(1, 2, 0), FarLd(3, 1, 0), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(0x1122_3344_5566_7788UL, f.X[3]);
        Assert.Equal(0x5566_7788u, BitConverter.ToUInt32(f.Page(f.A, 0), 4092));
        Assert.Equal(0x1122_3344u, BitConverter.ToUInt32(f.Page(f.A, 1), 0));

        // The last page of A ends the segment: the second half of the store has no password.
        f.X[1] = SegA + 8192 - 4;
        f.Cpu.State.Pc = CpuFixture.CodeVa;
        Assert.Equal(SegA + 8192, f.Cpu.RunToTrap(TrapCause.PasswordFault).TrapValue);
        Assert.Equal(0u, BitConverter.ToUInt32(f.Page(f.A, 1), 4092));
    }

    [Fact]
    public void LoadPv_APointerIntoTheSamePasswordsPages_Passes_AndNullPasses()
    {
        var f = new FarFixture();
        BitConverter.TryWriteBytes(f.Page(f.A).AsSpan(0), SegA + 4096 + 8);   // into A's second page
        f.SetPr(4, AR);
        f.X[1] = SegA;
        f.X[2] = SegA + 8;   // holds 0
        f.Cpu.Load(LoadPv(5, 1, 4), LoadPv(6, 2, 4), Ecall);
        f.X[6] = 99;
        f.Cpu.RunToEcall();
        Assert.Equal(SegA + 4096 + 8, f.X[5]);
        Assert.Equal(0UL, f.X[6]);
    }

    [Theory]
    [InlineData("other segment", SegB)]
    [InlineData("private memory", CpuFixture.DataVa)]
    public void LoadPv_APointerLeavingThePassword_IsAVerifyFault(string _, ulong planted)
    {
        var f = new FarFixture();
        BitConverter.TryWriteBytes(f.Page(f.A).AsSpan(24), planted);
        f.SetPr(4, ARW);
        f.X[1] = SegA + 16;
        f.Cpu.Load(LoadPv(5, 1, 4, 8), Ecall);
        var h = f.Cpu.RunToTrap(TrapCause.PointerVerifyFault);
        Assert.Equal(planted, h.TrapValue);
        Assert.Equal(SegA + 24, h.FarFaultSource);
        Assert.Equal(4, h.FarFaultRegister);
        Assert.Equal(0UL, f.X[5]);
    }

    [Fact]
    public void VerifyP_SaysWhetherThePasswordOpensThePointersPage()
    {
        var f = new FarFixture();
        f.SetPr(0, AX);
        f.SetPr(1, BR);
        f.X[1] = SegA + 100;
        f.Cpu.Load(VerifyP(5, 1, 0), VerifyP(6, 1, 1), VerifyP(0, 1, 0), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(1UL, f.X[5]);
        Assert.Equal(0UL, f.X[6]);
        Assert.Equal(0UL, f.X[0]);
    }

    [Fact]
    public void StorePv_SamePasswords_StoresTheAddressOnly()
    {
        var f = new FarFixture();
        f.SetPr(0, ARW);
        f.SetPr(1, ARW);
        f.X[1] = SegA + 64;
        f.X[2] = SegA + 4096;
        f.Cpu.Load(StorePv(1, 2, 0, 1, -8), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(SegA + 4096, BitConverter.ToUInt64(f.Page(f.A), 56));
    }

    [Fact]
    public void StorePv_DifferentPasswords_FaultsAndWritesNothing()
    {
        var f = new FarFixture();
        f.SetPr(0, ARW);
        f.SetPr(1, BRW);
        f.X[1] = SegA + 64;
        f.X[2] = SegB;
        f.Cpu.Load(StorePv(1, 2, 0, 1), Ecall);
        var h = f.Cpu.RunToTrap(TrapCause.PasswordFault);
        Assert.Equal(SegA + 64, h.TrapValue);
        Assert.Equal(SegA + 64, h.FarFaultSource);
        Assert.Equal(0, h.FarFaultRegister);   // the destination's register, not the value's
        Assert.Equal(0UL, BitConverter.ToUInt64(f.Page(f.A), 64));
    }

    [Fact]
    public void LoadPwd_StorePwd_RoundTripThe128Bits()
    {
        var f = new FarFixture();
        f.Cpu.Write64(f.Cpu.Data, 32, 0x0123_4567_89ab_cdef);
        f.Cpu.Write64(f.Cpu.Data, 40, 0xfedc_ba98_7654_3210);
        f.X[1] = CpuFixture.DataVa + 64;
        f.Cpu.Load(LoadPwd(6, 1, -32), StorePwd(6, 1, 100), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(new Password128(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210), f.Cpu.State.P[6].Value);
        Assert.Equal(0x0123_4567_89ab_cdefUL, f.Cpu.Read64(f.Cpu.Data, 164));
        Assert.Equal(0xfedc_ba98_7654_3210UL, f.Cpu.Read64(f.Cpu.Data, 172));
    }

    [Fact]
    public void LoadPwd_FromAnUnmappedPage_IsAnOrdinaryLoadFault()
    {
        var f = new FarFixture();
        f.X[1] = CpuFixture.UnmappedVa;
        f.Cpu.Load(LoadPwd(0, 1), Ecall);
        Assert.Equal(CpuFixture.UnmappedVa, f.Cpu.RunToTrap(TrapCause.LoadPageFault).TrapValue);
    }

    [Fact]
    public void WithoutTheUnit_ThePasswordInstructionsAreIllegal()
    {
        var f = new CpuFixture();
        f.Load(FarLd(5, 1, 0), Ecall);
        Assert.Equal(FarLd(5, 1, 0), (uint)f.RunToTrap(TrapCause.IllegalInstruction).TrapValue);
    }

    [Theory]
    [InlineData(0x0000_505bu)]   // custom-2 (CHERI's): not a password instruction
    [InlineData(0x0000_707bu)]   // custom-3
    [InlineData(0x0000_5dabu)]   // loadpwd with rd bit 3 set: pr8 does not exist
    [InlineData(0x0200_702bu)]   // custom-1 f3=7 with funct7 1: unassigned
    public void UnassignedEncodings_AreIllegal_EvenWithTheUnit(uint insn)
    {
        var f = new FarFixture();
        f.Cpu.Load(insn, Ecall);
        Assert.Equal(insn, (uint)f.Cpu.RunToTrap(TrapCause.IllegalInstruction).TrapValue);
    }

    [Fact]
    public void Decoder_GivesEachInstructionItsOwnFields()
    {
        var d = Decoder.Decode(FarLw(0, 9, 5, -3));
        Assert.Equal((byte)PwdOp.FarLw, d.Sub);
        Assert.Equal(32, d.Rd);          // x0: the scratch register
        Assert.Equal(9, d.Rs1);
        Assert.Equal(5, d.Rs3);
        Assert.Equal(-3L, d.Imm);
        d = Decoder.Decode(FarSh(7, 8, 6, -200));
        Assert.Equal((byte)PwdOp.FarSh, d.Sub);
        Assert.Equal((7, 8, 6, -200L), ((int)d.Rs1, (int)d.Rs2, (int)d.Rs3, d.Imm));
        d = Decoder.Decode(StorePv(7, 8, 2, 3, -17));
        Assert.Equal((byte)PwdOp.StorePv, d.Sub);
        Assert.Equal((2, 3, -17L), ((int)d.Rs3, (int)d.Rm, d.Imm));
        d = Decoder.Decode(StorePwd(4, 10, -2048));
        Assert.Equal(((byte)PwdOp.StorePwd, 4, 10, -2048L), (d.Sub, (int)d.Rs3, (int)d.Rs1, d.Imm));
        d = Decoder.Decode(LoadPwd(7, 10, 2047));
        Assert.Equal(((byte)PwdOp.LoadPwd, 7, 2047L), (d.Sub, (int)d.Rs3, d.Imm));
        d = Decoder.Decode(VerifyP(0, 3, 1));
        Assert.Equal(((byte)PwdOp.VerifyP, 32, 1), (d.Sub, (int)d.Rd, (int)d.Rs3));
    }
}
