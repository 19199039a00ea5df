using Bulwark.Machine.Cpu;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Platforms.QemuVirt;
using static Bulwark.Tests.Cpu.Asm;

namespace Bulwark.Tests.SystemBoard;

/// <summary>One hart of the system board driven instruction by instruction: CSRs are set by executing
/// real CSR instructions in M mode, code is written into RAM, and the engine is run directly so a test
/// sees each stop (trap cause and value, privilege) without a trap handler in between.</summary>
public sealed class BareMetal
{
    public const ulong Ram = QemuVirtBoard.RamBase;
    private const ulong Scratch = Ram + 0xf_0000;

    public const int Mstatus = 0x300, Mie = 0x304, Mtvec = 0x305, Mepc = 0x341, Mcause = 0x342, Mtval = 0x343, Mip = 0x344;
    public const int PmpCfg0 = 0x3a0, PmpAddr0 = 0x3b0;
    public const ulong PmpR = 1, PmpW = 2, PmpX = 4, Tor = 1 << 3, Na4 = 2 << 3, Napot = 3 << 3, Locked = 0x80;

    public BareMetal(int harts = 1)
    {
        Board = new QemuVirtBoard(new QemuVirtOptions { Harts = harts, MemoryBytes = 1 << 20 });
    }

    public QemuVirtBoard Board { get; }
    public Bulwark.Machine.Machine Machine => Board.Machine;
    public Hart Hart => Machine.Harts[0];
    public ulong[] Xr => Hart.State.X;

    /// <summary>Writes instruction words at <paramref name="address"/>.</summary>
    public BareMetal Code(ulong address, params uint[] words)
    {
        for (int i = 0; i < words.Length; i++) Poke(address + 4 * (ulong)i, words[i]);
        return this;
    }

    public void Poke(ulong address, uint value)
    {
        var frame = Machine.Memory.Frame((uint)(address >> PhysicalMemory.PageShift));
        Machine.Memory.BeforeWrite((uint)(address >> PhysicalMemory.PageShift), (int)(address & 0xfff), 4);
        BitConverter.TryWriteBytes(frame.AsSpan((int)(address & 0xfff), 4), value);
    }

    public uint Peek(ulong address) =>
        BitConverter.ToUInt32(Machine.Memory.Frame((uint)(address >> PhysicalMemory.PageShift)), (int)(address & 0xfff));

    /// <summary>Executes `csrrw x0, csr, x5` with x5 = value in the hart's current mode; true if it did not trap.</summary>
    public bool WriteCsr(int csr, ulong value)
    {
        ulong pc = Hart.State.Pc, saved = Xr[5];
        Xr[5] = value;
        Code(Scratch, Csrrw(0, csr, 5));
        Hart.State.Pc = Scratch;
        var stop = Machine.Engine.Run(Hart, 1);
        Xr[5] = saved;
        Hart.State.Pc = pc;
        return stop != StopReason.Trap;
    }

    /// <summary>Executes `csrrs x5, csr, x0` and returns the value read.</summary>
    public ulong ReadCsr(int csr)
    {
        ulong pc = Hart.State.Pc, saved = Xr[5];
        Code(Scratch, Csrrs(5, csr, 0));
        Hart.State.Pc = Scratch;
        var stop = Machine.Engine.Run(Hart, 1);
        Assert.NotEqual(StopReason.Trap, stop);
        ulong value = Xr[5];
        Xr[5] = saved;
        Hart.State.Pc = pc;
        return value;
    }

    /// <summary>mret into U mode at <paramref name="pc"/> (mstatus.MPP = U).</summary>
    public void EnterUser(ulong pc)
    {
        Assert.True(WriteCsr(Mepc, pc));
        Assert.True(WriteCsr(Mstatus, ReadCsr(Mstatus) & ~(3UL << 11)));
        Code(Scratch, 0x30200073);
        Hart.State.Pc = Scratch;
        Assert.Equal(StopReason.Yield, Machine.Engine.Run(Hart, 1));
        Assert.Equal(PrivilegeMode.User, Hart.Privilege);
        Assert.Equal(pc, Hart.State.Pc);
    }

    /// <summary>Runs at most <paramref name="budget"/> instructions from the current pc.</summary>
    public StopReason Run(long budget = 100) => Machine.Engine.Run(Hart, budget);

    /// <summary>pmpaddr for a NAPOT region of <paramref name="size"/> bytes (a power of two, at least 8) at <paramref name="base"/>.</summary>
    public static ulong NapotAddress(ulong @base, ulong size) => (@base >> 2) | ((size >> 3) - 1);
}
