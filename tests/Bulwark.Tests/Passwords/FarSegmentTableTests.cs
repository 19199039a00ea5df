using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Passwords;
using Bulwark.Machine.Translation;
using Bulwark.Tests.Cpu;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Passwords.FarFixture;
using static Bulwark.Tests.Passwords.PwdAsm;

namespace Bulwark.Tests.Passwords;

/// <summary>The unit's table of segments (<see cref="FarMemory"/>, <see cref="FarSegment"/>): segments are
/// whole pages, never overlap, are found whatever the order they came in, and are gone once removed.</summary>
public class FarSegmentTableTests
{
    /// <summary>An address whose sum with <see cref="SegA"/> is SegA's offset 16 (mod 2^64).</summary>
    internal const ulong Wrapped = unchecked(0UL - SegA + 16);

    private static FarSegment Seg(ulong va, int pages) => new(va, new uint[pages]);

    [Fact]
    public void ASegment_IsWholePages()
    {
        Assert.Throws<ArgumentException>(() => new FarSegment(0x20_0000_0010UL, new uint[1]));
        Assert.Throws<ArgumentException>(() => new FarSegment(0x20_0000_0000UL, []));
        var s = new FarSegment(0x20_0000_0000UL, new uint[3]);
        Assert.Equal(0x20_0000_3000UL, s.End);
    }

    [Fact]
    public void Contains_IsExactlyTheSegmentsPages()
    {
        var s = Seg(SegA, 2);
        Assert.True(s.Contains(SegA));
        Assert.True(s.Contains(SegA + 8191));
        Assert.False(s.Contains(SegA - 1));
        Assert.False(s.Contains(SegA + 8192));
        Assert.False(s.Contains(Wrapped));   // wraps onto the segment's offsets if added instead of subtracted
    }

    [Fact]
    public void Segments_AreFound_WhateverTheOrderTheyWereAddedIn()
    {
        var far = new FarMemory();
        var c = Seg(0x30_0000_0000UL, 1);
        var a = Seg(0x10_0000_0000UL, 2);
        var b = Seg(0x20_0000_0000UL, 1);
        var next = Seg(a.End, 1);   // right after a, no page between: allowed
        var before = Seg(c.Base - 4096, 1);   // right before c, added after it: allowed
        far.Add(c);
        far.Add(a);
        far.Add(b);
        far.Add(next);
        far.Add(before);
        Assert.Equal([a, next, b, before, c], far.Segments);
        foreach (var s in new[] { c, b, a, next, before, c, a })
        {
            Assert.Same(s, far.Find(s.Base));
            Assert.Same(s, far.Find(s.End - 1));
        }
        Assert.Null(far.Find(a.Base - 1));
        Assert.Null(far.Find(next.End));
        Assert.Null(far.Find(c.End));
    }

    [Theory]
    [InlineData(0x10_0000_0000UL, 2)]   // the same pages
    [InlineData(0x0f_ffff_f000UL, 2)]   // over its first page
    [InlineData(0x10_0000_1000UL, 1)]   // its last page
    [InlineData(0x0f_ffff_f000UL, 4)]   // around it
    public void AnOverlappingSegment_IsRefused_AndTheTableIsUnchanged(ulong va, int pages)
    {
        var far = new FarMemory();
        var a = Seg(0x10_0000_0000UL, 2);
        far.Add(a);
        Assert.Throws<ArgumentException>(() => far.Add(Seg(va, pages)));
        Assert.Equal([a], far.Segments);
    }

    [Fact]
    public void ARemovedSegment_IsNotFoundAnyMore_EvenRightAfterItWasFound()
    {
        var far = new FarMemory();
        var a = Seg(0x10_0000_0000UL, 2);
        var b = Seg(0x20_0000_0000UL, 1);
        far.Add(a);
        far.Add(b);
        Assert.Same(a, far.Find(a.Base + 100));
        far.Remove(a);
        Assert.Null(far.Find(a.Base + 100));
        Assert.Equal([b], far.Segments);
        Assert.Same(b, far.Find(b.Base));
    }
}

/// <summary>Far accesses at the edges: across two pages (each page checked for the access's own kind,
/// and nothing read or written past the access), unaligned stores tagged in every word they touch, an
/// address that wraps, the counters, and a far store breaking a reservation on its frame.</summary>
public class FarAccessEdgeTests
{
    [Fact]
    public void AccessesAcrossTwoPages_TouchExactlyTheirBytes_AndAreCounted()
    {
        var f = new FarFixture();
        f.SetPr(0, ARW);
        Array.Fill(f.Page(f.A, 1), (byte)0xee);
        f.X[1] = SegA + 4092;
        f.X[2] = 0x1122_3344_5566_7788;
        f.Cpu.Load(FarSd(1, 2, 0), FarLd(3, 1, 0), FarLwu(4, 1, 0, 2), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal(0x1122_3344_5566_7788UL, f.X[3]);
        Assert.Equal(0x3344_5566UL, f.X[4]);
        // The store wrote 4 bytes of the second page, not one more.
        Assert.Equal(0x1122_3344u, BitConverter.ToUInt32(f.Page(f.A, 1), 0));
        Assert.All(f.Page(f.A, 1)[4..], b => Assert.Equal(0xee, b));
        Assert.Equal(3, f.Far.FarAccesses);
    }

    [Fact]
    public void AStoreIntoTheNextSegment_NeedsThatSegmentsWritePassword()
    {
        // Two segments with no page between them, where one value is the first's read-write password
        // and the second's read password: a load across them is allowed, a store is not.
        var f = new FarFixture();
        var p = new Password128(0x7777, 0xc);
        const ulong SegC = 0x20_0020_0000UL;
        var c = f.Segment(SegC, 1, new Password128(0x8888, 0xc), p, new Password128(0x9999, 0xc));
        var d = f.Segment(SegC + 4096, 1, p, new Password128(0xaaaa, 0xd), new Password128(0xbbbb, 0xd));
        f.Page(d)[0] = 0x42;
        f.SetPr(5, p);
        f.X[1] = SegC + 4093;
        f.X[2] = 0x1122_3344_5566_7788;
        f.Cpu.Load(FarLwu(3, 1, 5), FarSd(1, 2, 5), Ecall);
        Assert.Equal(SegC + 4096, f.Cpu.RunToTrap(TrapCause.PasswordFault).TrapValue);
        Assert.Equal(0x42UL << 24, f.X[3]);
        Assert.All(f.Page(c), b => Assert.Equal(0, b));
        Assert.Equal(0x42, f.Page(d)[0]);
        Assert.Equal(5, f.Hart.FarFaultRegister);
    }

    [Fact]
    public void AnUnalignedStore_TagsBothWordsItWrites()
    {
        var f = new FarFixture();
        f.Hart.UserTag = 42;
        f.SetPr(0, ARW);
        f.X[1] = SegA + 4;
        f.X[2] = 0x1122_3344_5566_7788;
        f.Cpu.Load(FarSd(1, 2, 0), Ecall);
        f.Cpu.RunToEcall();
        Assert.Equal([42u, 42u, 0u], f.A.WriterTags[..3]);
    }

    [Fact]
    public void AnAddressThatWrapsOntoASegmentsOffsets_IsInNoSegment()
    {
        var f = new FarFixture();
        f.SetPr(0, AR);
        f.X[1] = SegA;
        f.X[2] = FarSegmentTableTests.Wrapped;
        f.Cpu.Load(FarLd(3, 1, 0), FarLd(4, 2, 0), Ecall);
        Assert.Equal(FarSegmentTableTests.Wrapped, f.Cpu.RunToTrap(TrapCause.PasswordFault).TrapValue);
    }

    [Fact]
    public void AFarStore_BreaksAReservationOnItsFrame()
    {
        // The segment's frame is also mapped near here (as a frame of the test, not by any kernel): an
        // lr.d there, a far store to the same word, and the sc.d must fail.
        var f = new FarFixture();
        const ulong Near = 0x40000;
        Assert.True(f.Cpu.PageTable.Map(Near, f.A.Frames[0], PteFlags.R | PteFlags.W | PteFlags.U));
        f.SetPr(0, ARW);
        f.X[1] = SegA + 8;
        f.X[2] = 5;
        f.X[6] = Near + 8;
        f.X[8] = 9;
        f.Cpu.Load(LrD(5, 6), FarSd(1, 2, 0), ScD(7, 8, 6), Ecall);
        f.Cpu.RunToEcall();
        Assert.NotEqual(0UL, f.X[7]);
        Assert.Equal(5UL, BitConverter.ToUInt64(f.Page(f.A), 8));
    }
}
