using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Passwords;
using Bulwark.Tests.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Passwords.FarFixture;
using static Bulwark.Tests.Passwords.PwdAsm;

namespace Bulwark.Tests.Passwords;

/// <summary>The password instructions in table mode: a register holds a slot address the user may load
/// and store, and a shadow of the slot's password that only the hardware (loadpwd) and the kernel fill;
/// a check that fails because the shadow is older than its slot is told apart as stale.</summary>
public class TableModeInstructionTests
{
    private const ulong SlotR = 0x3e_0000_0000UL, SlotRW = SlotR + 16;

    private sealed class Section : IPasswordSection
    {
        public readonly Dictionary<ulong, Password128> Slots = [];
        public Password128 Read(ulong slotAddress) => Slots.GetValueOrDefault(slotAddress);
    }

    private static (FarFixture, Section) Fixture()
    {
        var f = new FarFixture(PasswordMode.Table);
        var section = new Section();
        section.Slots[SlotR] = AR;
        section.Slots[SlotRW] = ARW;
        f.Hart.PasswordSection = section;
        f.Cpu.Write64(f.Cpu.Data, 0, SlotRW);
        f.Cpu.Write64(f.Cpu.Data, 8, 0xffff);     // the high half is not the user's in table mode
        f.X[1] = CpuFixture.DataVa;
        f.X[2] = SegA + 8;
        f.X[3] = 0x77;
        return (f, section);
    }

    [Fact]
    public void LoadPwd_KeepsTheSlotAddress_AndFillsTheShadowFromTheSlot()
    {
        var (f, _) = Fixture();
        f.Cpu.Load(LoadPwd(2, 1), StorePwd(2, 1, 64), FarSd(2, 3, 2), FarLd(4, 2, 2), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(new Password128(SlotRW, 0), f.Cpu.State.P[2].Value);
        Assert.Equal(ARW, f.Cpu.State.P[2].Shadow);
        Assert.Equal(SlotRW, f.Cpu.Read64(f.Cpu.Data, 64));
        Assert.Equal(0UL, f.Cpu.Read64(f.Cpu.Data, 72));   // storepwd never reveals the password
        Assert.Equal(0x77UL, f.X[4]);
    }

    [Fact]
    public void ARotatedPassword_IsAStaleShadow_AndWorksAgainOnceRefreshed()
    {
        var (f, section) = Fixture();
        f.Cpu.Load(LoadPwd(2, 1), FarLd(4, 2, 2), Ecall);
        f.Cpu.Run(budget: 1);
        var rotated = new Password128(0xabcdef, 0x1234);
        f.A.ReadWrite = rotated;
        section.Slots[SlotRW] = rotated;
        var h = f.Cpu.RunToTrap(TrapCause.PasswordStale);
        Assert.Equal(SegA + 8, h.TrapValue);
        Assert.Equal(2, h.FarFaultRegister);
        // The kernel's refresh: the shadow from the slot, then the same instruction again.
        f.Cpu.State.P[2].Shadow = section.Read(f.Cpu.State.P[2].Value.Lo);
        f.Cpu.RunToEcall();
    }

    [Theory]
    [InlineData(0)]   // the destination's register was loaded before the rotation
    [InlineData(1)]   // the value's register was
    public void StorePv_AcrossARotation_IsStaleForTheOldRegister_AndStoresOnceRefreshed(int stale)
    {
        var (f, section) = Fixture();
        f.X[4] = SegA + 4096;
        f.Cpu.Load(LoadPwd(stale, 1), LoadPwd(1 - stale, 1), StorePv(2, 4, 0, 1), Ecall);
        f.Cpu.Run(budget: 1);
        var rotated = new Password128(0xabcdef, 0x1234);
        f.A.ReadWrite = rotated;
        section.Slots[SlotRW] = rotated;
        var h = f.Cpu.RunToTrap(TrapCause.PasswordStale);
        Assert.Equal(stale, h.FarFaultRegister);
        Assert.Equal(SegA + 8, h.TrapValue);
        Assert.Equal(0UL, BitConverter.ToUInt64(f.Page(f.A), 8));
        // The kernel's refresh, then the same instruction again.
        f.Cpu.State.P[stale].Shadow = section.Read(SlotRW);
        f.Cpu.RunToEcall();
        Assert.Equal(SegA + 4096, BitConverter.ToUInt64(f.Page(f.A), 8));
    }

    [Fact]
    public void ARevokedSlot_MakesTheOldShadowStale()
    {
        var (f, section) = Fixture();
        f.Cpu.Load(LoadPwd(2, 1), VerifyP(4, 2, 2), Ecall);
        f.Cpu.Run(budget: 1);
        section.Slots.Remove(SlotRW);
        f.A.ReadWrite = new Password128(9, 9);
        f.Cpu.RunToTrap(TrapCause.PasswordStale);
    }

    [Fact]
    public void AHandleToAnEmptySlot_IsAPlainPasswordFault()
    {
        var (f, section) = Fixture();
        section.Slots.Remove(SlotRW);
        f.Cpu.Load(LoadPwd(2, 1), FarLd(4, 2, 2), Ecall);
        f.Cpu.RunToTrap(TrapCause.PasswordFault);
        Assert.True(f.Cpu.State.P[2].Shadow.IsZero);
    }

    [Fact]
    public void TheReadSlot_DoesNotWrite()
    {
        var (f, _) = Fixture();
        f.Cpu.Write64(f.Cpu.Data, 0, SlotR);
        f.Cpu.Load(LoadPwd(2, 1), FarSd(2, 3, 2), Ecall);
        f.Cpu.RunToTrap(TrapCause.PasswordFault);
    }
}

/// <summary>The password registers are part of the thread's register state.</summary>
public class PasswordRegisterStateTests
{
    [Fact]
    public void CopyFrom_CopiesEveryPasswordRegister_ValueAndShadow()
    {
        var a = new HartState();
        for (int i = 0; i < PasswordRegister.Count; i++)
            a.P[i] = new PasswordRegister { Value = new Password128((ulong)i + 1, 2), Shadow = new Password128(3, (ulong)i + 4) };
        var b = new HartState();
        b.CopyFrom(a);
        Assert.Equal(a.P, b.P);
        a.P[0].Value = default;
        Assert.NotEqual(a.P[0], b.P[0]);   // a copy, not the same array
        Assert.True(PasswordRegister.Count >= 8);
    }
}
