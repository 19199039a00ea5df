using Bulwark.Machine.Devices.Virtio;

namespace Bulwark.Tests.Devices;

/// <summary>Indirect descriptor tables (VIRTIO_RING_F_INDIRECT_DESC).</summary>
public sealed class VirtioIndirectTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ARequestInAnIndirectTableWorks(int version)
    {
        var h = new VirtioHarness(version);
        h.Init(version);
        ulong header = h.Header(VirtioBlock.TypeIn, 6);
        ulong data = h.Buffer(512);
        ulong status = h.Buffer(1, 0xff);
        ulong table = h.Buffer(48, 0);
        h.SetDesc(table, 0, header, 16, VirtqFlags.DescNext, 1);
        h.SetDesc(table, 1, data, 512, VirtqFlags.DescWrite | VirtqFlags.DescNext, 2);
        h.SetDesc(table, 2, status, 1, VirtqFlags.DescWrite);
        // The WRITE flag on the descriptor that refers to the table must be ignored.
        h.SetDesc(5, table, 48, VirtqFlags.DescIndirect | VirtqFlags.DescWrite);
        h.Offer(5);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(h.DiskBytes(6, 512), h.Read(data, 512));
        Assert.Equal(VirtioBlock.StatusOk, h.Read(status, 1)[0]);
        Assert.Equal((5u, 513u), h.Used(0));
    }

    [Fact]
    public void DirectDescriptorsMayEndInAnIndirectTable()
    {
        var h = new VirtioHarness(2);
        h.Init(2);
        var data = Enumerable.Repeat((byte)0x3c, 512).ToArray();
        ulong header = h.Header(VirtioBlock.TypeOut, 2);
        ulong buffer = h.Buffer(512);
        h.Write(buffer, data);
        ulong status = h.Buffer(1, 0xff);
        ulong table = h.Buffer(32, 0);
        h.SetDesc(table, 0, buffer, 512, VirtqFlags.DescNext, 1);
        h.SetDesc(table, 1, status, 1, VirtqFlags.DescWrite);
        h.SetDesc(0, header, 16, VirtqFlags.DescNext, 1);
        h.SetDesc(1, table, 32, VirtqFlags.DescIndirect);
        h.Offer(0);
        h.Kick();
        h.RunUntilIdle();
        Assert.Equal(VirtioBlock.StatusOk, h.Read(status, 1)[0]);
        Assert.Equal(data, h.DiskBytes(2, 512));
        Assert.Equal((0u, 1u), h.Used(0));
    }
}
