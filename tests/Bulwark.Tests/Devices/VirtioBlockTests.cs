using System.Text;
using Bulwark.Machine.Devices.Virtio;

namespace Bulwark.Tests.Devices;

/// <summary>virtio-blk requests: every type with its status, data and used length, read-only disks,
/// chains laid out any way, and the disk image staying an in-memory copy.</summary>
public sealed class VirtioBlockTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ReadReturnsTheSectorsWithStatusOkAndCountsDataPlusStatusAsUsedLength(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        var r = h.Request(VirtioBlock.TypeIn, 5, 1024);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(h.DiskBytes(5, 1024), h.Read(r.Data, 1024));
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.Equal((ushort)1, h.UsedIdx);
        Assert.Equal((r.Head, 1025u), h.Used(0));
        Assert.True(h.Irq.Level);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WriteChangesTheDiskWithUsedLengthOne(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        var data = Enumerable.Range(0, 512).Select(i => (byte)(255 - i)).ToArray();
        var r = h.Request(VirtioBlock.TypeOut, 9, 512, data);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.Equal(data, h.DiskBytes(9, 512));
        Assert.Equal(data, h.Read(r.Data, 512));       // the device-readable buffer is untouched
        Assert.Equal((r.Head, 1u), h.Used(0));

        var back = h.Request(VirtioBlock.TypeIn, 9, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(data, h.Read(back.Data, 512));
    }

    [Fact]
    public void FlushSucceedsWithUsedLengthOne()
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var r = h.Request(VirtioBlock.TypeFlush, 0, 0);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.Equal((r.Head, 1u), h.Used(0));
    }

    [Fact]
    public void GetIdAnswersTwentyBytesOfSerial()
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var r = h.Request(VirtioBlock.TypeGetId, 0, 20);
        h.Kick();
        h.RunUntilIdle();
        var expected = new byte[20];
        Encoding.ASCII.GetBytes("bulwark").CopyTo(expected, 0);
        Assert.Equal(expected, h.Read(r.Data, 20));
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.Equal((r.Head, 21u), h.Used(0));
    }

    [Fact]
    public void GetIdIntoALargerBufferZeroFillsTheRestAndCountsItWritten()
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var r = h.Request(VirtioBlock.TypeGetId, 0, 64);
        h.Kick();
        h.RunUntilIdle();
        var data = h.Read(r.Data, 64);
        Assert.Equal("bulwark"u8.ToArray(), data[..7]);
        Assert.All(data[7..], b => Assert.Equal(0, b));
        Assert.Equal((r.Head, 65u), h.Used(0));
    }

    [Theory]
    [InlineData(2u)]    // SCSI_CMD
    [InlineData(11u)]   // DISCARD, not offered
    [InlineData(13u)]   // WRITE_ZEROES, not offered
    [InlineData(0xdeadu)]
    public void UnsupportedTypesCompleteWithUnsupp(uint type)
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var statusOnly = h.Request(type, 0, 0);
        var withData = h.Request(type, 0, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusUnsupported, h.StatusOf(statusOnly));
        Assert.Equal(VirtioBlock.StatusUnsupported, h.StatusOf(withData));
        Assert.Equal((statusOnly.Head, 1u), h.Used(0));
        Assert.Equal((withData.Head, 513u), h.Used(1));
        Assert.All(h.Read(withData.Data, 512), b => Assert.Equal(0, b));   // written, so counted in len
    }

    [Theory]
    [InlineData(VirtioHarness.DiskSectors, 512u)]        // starts at the end
    [InlineData(VirtioHarness.DiskSectors - 1, 1024u)]   // runs past the end
    [InlineData(ulong.MaxValue, 512u)]                   // sector + count wraps
    [InlineData(0, 100u)]                                // not whole sectors
    public void ReadsOutsideTheDiskFailWithIoErr(ulong sector, uint length)
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var r = h.Request(VirtioBlock.TypeIn, sector, length);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusIoError, h.StatusOf(r));
        Assert.Equal((r.Head, length + 1), h.Used(0));
        Assert.All(h.Read(r.Data, (int)length), b => Assert.Equal(0, b));   // no stale bytes passed off as data
    }

    [Fact]
    public void WritesOutsideTheDiskFailWithIoErrAndChangeNothing()
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var before = h.DiskBytes(0, VirtioHarness.DiskSectors * 512);
        var r = h.Request(VirtioBlock.TypeOut, VirtioHarness.DiskSectors - 1, 1024, new byte[1024]);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusIoError, h.StatusOf(r));
        Assert.Equal((r.Head, 1u), h.Used(0));
        Assert.Equal(before, h.DiskBytes(0, VirtioHarness.DiskSectors * 512));
    }

    [Fact]
    public void AReadOnlyDiskRefusesWritesWithIoErrButReads()
    {
        var h = new VirtioHarness(2, disk: VirtioHarness.PatternDisk(16, readOnly: true));
        h.Init(2);
        var before = h.DiskBytes(2, 512);
        var w = h.Request(VirtioBlock.TypeOut, 2, 512, new byte[512]);
        var r = h.Request(VirtioBlock.TypeIn, 2, 512);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusIoError, h.StatusOf(w));
        Assert.Equal(before, h.DiskBytes(2, 512));
        Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
        Assert.Equal(before, h.Read(r.Data, 512));
    }

    [Fact]
    public void AnyLayoutWorks_HeaderSplitAndDataAcrossBuffersAndStatusSharingTheLastBuffer()
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        ulong header = h.Header(VirtioBlock.TypeIn, 7);
        ulong a = h.Buffer(300), b = h.Buffer(213);   // 512 data bytes + status in the last byte of b
        ushort head = h.Chain((header, 6, false), (header + 6, 10, false), (a, 300, true), (b, 213, true));
        h.Offer(head);
        h.Kick();
        h.RunUntilIdle();
        var sector = h.DiskBytes(7, 512);
        Assert.Equal(sector[..300], h.Read(a, 300));
        Assert.Equal(sector[300..], h.Read(b, 212));
        Assert.Equal(VirtioBlock.StatusOk, h.Read(b + 212, 1)[0]);
        Assert.Equal((head, 513u), h.Used(0));
    }

    [Fact]
    public void TheDiskImageIsACopy_GuestWritesNeverReachTheHostFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            var original = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
            File.WriteAllBytes(path, original);
            var h = new VirtioHarness(2, disk: DiskImage.FromFile(path));
            h.Init(2);
            var r = h.Request(VirtioBlock.TypeOut, 1, 512, new byte[512]);
            h.Kick();
            h.RunUntilIdle();
            Assert.Equal(VirtioBlock.StatusOk, h.StatusOf(r));
            Assert.Equal(new byte[512], h.DiskBytes(1, 512));
            Assert.Equal(original, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ADiskImageIsRoundedUpToWholeSectors()
    {
        var disk = new DiskImage(new byte[1000]);
        Assert.Equal(2ul, disk.Sectors);
        Assert.Equal(1024ul, disk.Bytes);
    }

    [Fact]
    public void CountersReportRequestsDmaInterruptsAndErrors()
    {
        var h = new VirtioHarness(2);
        h.Init(2, accept: ~VirtioFeature.EventIdx);   // one interrupt per completion
        h.Request(VirtioBlock.TypeIn, 0, 512);
        h.Request(VirtioBlock.TypeOut, 1, 512, new byte[512]);
        h.Request(VirtioBlock.TypeFlush, 0, 0);
        h.Request(VirtioBlock.TypeGetId, 0, 20);
        h.Request(77, 0, 0);
        h.Request(VirtioBlock.TypeIn, 1000, 512);
        h.Kick();
        h.RunUntilIdle();
        var c = h.Slot.Counters.ToDictionary(x => x.Name, x => x.Value);
        Assert.Equal(2, c["read requests"]);
        Assert.Equal(1, c["write requests"]);
        Assert.Equal(1, c["flush requests"]);
        Assert.Equal(1, c["get-id requests"]);
        Assert.Equal(1, c["unsupported requests"]);
        Assert.Equal(1, c["I/O errors"]);
        Assert.Equal(6, c["interrupts"]);
        Assert.Equal(0, c["errors (device needs reset)"]);
        Assert.Equal(h.Slot.Dma.BytesRead, c["DMA bytes read"]);
        Assert.True(c["DMA bytes read"] >= 6 * 16 + 512);     // headers and the write's data at least
        Assert.True(c["DMA bytes written"] >= 512 + 513 + 21 + 3); // read data, IOERR fill, ID, statuses
    }
}
