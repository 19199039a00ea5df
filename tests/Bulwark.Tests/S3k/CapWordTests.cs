using Bulwark.S3k.Capabilities;

namespace Bulwark.Tests.S3k;

/// <summary>The capability words bit for bit, against the values the course's C library produces
/// (s3k_mk_* compiled for rv64: the first two appear in the real programs' system calls).</summary>
public sealed class CapWordTests
{
    [Fact]
    public void PmpWordsAreWhatTheCourseLibraryPasses()
    {
        // hello's setup_uart derives s3k_mk_pmp(s3k_napot_encode(0x10000000, 8), RW) and setup_app1 RWX 64 KiB at 0x80020000.
        Assert.Equal(0x40000000033UL, Cap.Pmp(Cap.NapotEncode(0x1000_0000, 8), Rwx.Rw).Raw);
        Assert.Equal(0x20009fff0073UL, Cap.Pmp(Cap.NapotEncode(0x8002_0000, 0x10000), Rwx.All).Raw);
    }

    [Fact]
    public void FieldsSitWhereTheUnionPutsThem()
    {
        var time = Cap.Time(3, 5, 9);
        Assert.Equal(0x0009_0005_0005_0301UL, time.Raw);
        var mem = Cap.Memory(0x8002_0000, 0x8800_0000, Rwx.All);
        Assert.Equal(0x8000_0020_0020_1072UL, mem.Raw);
        Assert.Equal((byte)0x10, mem.Tag);
        Assert.Equal(0x0002_0000_0000_0004UL, Cap.Monitor(0, 2).Raw);
        Assert.Equal(0x0002_0001_0001_0005UL, Cap.Channel(1, 2).Raw);
        var sock = Cap.Socket(1, Ipc.Yield, Ipc.CData | Ipc.SData, 0xdeadbeef);
        Assert.Equal(0xdeadbeef_0001_0516UL, sock.Raw);
        Assert.Equal((ushort)1, sock.Chan);
        Assert.Equal(0xdeadbeefu, sock.SocketTag);
    }

    [Fact]
    public void WithersKeepEveryOtherBit()
    {
        // Padding bits survive (the kernel stores whatever word a derivation passed).
        var c = new Cap(0x0009_0005_0005_03f1UL);
        Assert.Equal(0x0009_0007_0005_03f1UL, c.WithMrk(7).Raw);
        var m = Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.R);
        Assert.True(m.WithLck(true).Lck);
        Assert.Equal(m.Raw, m.WithLck(true).WithLck(false).Raw);
        var p = Cap.Pmp(0x2000_5fff, Rwx.All).WithUsedSlot(true, 5);
        Assert.True(p.Used);
        Assert.Equal((byte)5, p.Slot);
        Assert.Equal(0x2000_5fffUL, p.Addr);
    }

    [Theory]
    [InlineData(0x2000_5fffUL, 0x8001_0000UL, 0x10000UL)]
    [InlineData(0x0400_0000UL, 0x1000_0000UL, 8UL)]
    [InlineData(0x0080_2fffUL, 0x0200_8000UL, 0x8000UL)]
    public void NapotDecodesAndEncodes(ulong addr, ulong @base, ulong size)
    {
        Assert.Equal((@base, size), Cap.NapotDecode(addr));
        Assert.Equal(addr, Cap.NapotEncode(@base, size));
    }

    [Fact]
    public void PrintsAsTheKernelPrints()
    {
        Assert.Equal("PMP{bgn=0x80010000,end=0x80020000,rwx=7,used=0,slot=0}", CapFormat.Format(Cap.Pmp(0x2000_5fff, Rwx.All)));
        Assert.Equal("MEMORY{bgn=0x200B000,end=0x200C000,mrk=0x200B000,rwx=1,lck=0}", CapFormat.Format(Cap.Memory(0x200_b000, 0x200_c000, Rwx.R)));
        Assert.Equal("TIME{hart=1,bgn=0,end=32,mrk=0}", CapFormat.Format(Cap.Time(1, 0, 32)));
        Assert.Equal("MONITOR{bgn=0,end=2,mrk=0}", CapFormat.Format(Cap.Monitor(0, 2)));
        Assert.Equal("SOCKET{chan=1,tag=4294967295,perm=15,mode=1}", CapFormat.Format(Cap.Socket(1, 1, 15, uint.MaxValue)));
        Assert.Equal("CHANNEL{bgn=1,end=4,mrk=3}", CapFormat.Format(Cap.Channel(1, 4).WithMrk(3)));
        Assert.Equal("MONITOR{bgn=0,end=5,mrk=2}", CapFormat.Format(Cap.Monitor(0, 5).WithMrk(2)));
        Assert.Equal("TIME{hart=2,bgn=3,end=9,mrk=7}", CapFormat.Format(Cap.Time(2, 3, 9).WithMrk(7)));
        Assert.Equal("MEMORY{bgn=0x80020000,end=0x80030000,mrk=0x80028000,rwx=3,lck=1}",
            CapFormat.Format(Cap.Memory(0x8002_0000, 0x8003_0000, Rwx.Rw).WithMrk(0x28).WithLck(true)));
        Assert.Equal("PMP{bgn=0x80010000,end=0x80020000,rwx=5,used=1,slot=6}", CapFormat.Format(Cap.Pmp(0x2000_5fff, Rwx.Rx).WithUsedSlot(true, 6)));
        Assert.Equal("NONE{}", CapFormat.Format(default));
        Assert.Equal("UNKNOWN{raw=0xABC7}", CapFormat.Format(new Cap(0xabc7)));
    }
    [Fact]
    public void MemoryIsCountedInBlocksOfItsOwnTagAndMustBeOneTagsNonEmptyRange()
    {
        // Tag 1 (odd): the block numbers are relative to the tag's own 128 MiB.
        var m = Cap.Memory(0x0800_1000, 0x0800_3000, Rwx.R);
        Assert.Equal((byte)1, m.Tag);
        Assert.Equal((ushort)1, m.Bgn);
        Assert.Equal((ushort)3, m.End);
        Assert.Throws<ArgumentException>(() => Cap.Memory(0x8002_0000, 0x8002_0000, Rwx.R));
        Assert.Throws<ArgumentException>(() => Cap.Memory(0x8003_0000, 0x8002_0000, Rwx.R));
        Assert.Throws<ArgumentException>(() => Cap.Memory(0x87ff_f000, 0x8800_1000, Rwx.R));
        Assert.Equal((ushort)0x8000, Cap.Memory(0x8000_0000, 0x8800_0000, Rwx.R).End);
        // A block range with its own mark and lock bit.
        var b = Cap.MemoryBlocks(0x10, 2, 9, Rwx.Rw, mrk: 5, lck: true);
        Assert.Equal((ushort)5, b.Mrk);
        Assert.True(b.Lck);
        Assert.Equal((ushort)2, Cap.MemoryBlocks(0x10, 2, 9, Rwx.Rw).Mrk);
        Assert.False(Cap.MemoryBlocks(0x10, 2, 9, Rwx.Rw).Lck);
    }
}
