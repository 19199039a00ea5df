using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Passwords;
using Bulwark.Tests.Cpu;

namespace Bulwark.Tests.Passwords;

/// <summary>A <see cref="CpuFixture"/> with a password unit and two segments in no page table:
/// A (two pages at <see cref="SegA"/>) and B (one page at <see cref="SegB"/>), each with its own
/// read, read-write and execute passwords.</summary>
internal sealed class FarFixture
{
    public const ulong SegA = 0x20_0000_0000UL;
    public const ulong SegB = 0x20_0010_0000UL;
    public static readonly Password128 AR = new(0x1111, 0xa), ARW = new(0x2222, 0xa), AX = new(0x3333, 0xa);
    public static readonly Password128 BR = new(0x4444, 0xb), BRW = new(0x5555, 0xb), BX = new(0x6666, 0xb);

    public FarFixture(PasswordMode mode = PasswordMode.Password)
    {
        Cpu = new CpuFixture();
        Far = new FarMemory();
        A = Segment(SegA, 2, AR, ARW, AX);
        B = Segment(SegB, 1, BR, BRW, BX);
        Unit = new PasswordUnit(Far, mode);
        Cpu.Machine.CustomUnit = Unit;
    }

    public CpuFixture Cpu { get; }
    public FarMemory Far { get; }
    public FarSegment A { get; }
    public FarSegment B { get; }
    public PasswordUnit Unit { get; }
    public ulong[] X => Cpu.X;
    public Hart Hart => Cpu.Hart0;

    /// <summary>Adds a segment of fresh frames at <paramref name="va"/> to the unit's table.</summary>
    public FarSegment Segment(ulong va, int pages, Password128 r, Password128 rw, Password128 x)
    {
        var frames = Enumerable.Range(0, pages).Select(_ => Cpu.Machine.Memory.Allocate()).ToArray();
        var s = new FarSegment(va, frames) { Read = r, ReadWrite = rw, Execute = x };
        Far.Add(s);
        return s;
    }

    public byte[] Page(FarSegment s, int page = 0) => Cpu.Machine.Memory.Frame(s.Frames[page]);

    public void SetPr(int pr, Password128 value) => Cpu.State.P[pr].Value = value;
}
