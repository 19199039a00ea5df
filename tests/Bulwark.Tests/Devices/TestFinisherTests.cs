using Bulwark.Machine.Devices.TestFinisher;

namespace Bulwark.Tests.Devices;

/// <summary>QEMU's sifive_test through the bus at its address: pass, fail with a code, and reset, which
/// Bulwark refuses as a failure that says so.</summary>
public sealed class TestFinisherTests
{
    private const ulong Base = SifiveTestFinisher.VirtBase;

    private readonly DeviceFixture _f = new();
    private readonly List<(int Status, string? Message)> _endings = [];

    public TestFinisherTests() =>
        _f.Machine.Bus.Map(Base, new SifiveTestFinisher(_f.Machine, (status, message) => _endings.Add((status, message))));

    [Fact]
    public void Pass_EndsTheRunWithStatusZero()
    {
        _f.Store(Base, 0x5555, 4);
        Assert.Equal([(0, null)], _endings);
    }

    [Fact]
    public void Fail_EndsTheRunWithTheCodeInTheHighHalf()
    {
        _f.Store(Base, (42u << 16) | 0x3333, 4);
        Assert.Equal([(42, null)], _endings);
    }

    [Fact]
    public void Reset_EndsTheRunAsAFailureThatSaysResetIsUnsupported()
    {
        _f.Store(Base, 0x7777, 4);
        var (status, message) = Assert.Single(_endings);
        Assert.Equal(1, status);
        Assert.Contains("reset", message);
        Assert.Contains("not support", message);
    }

    [Fact]
    public void OtherValuesAndOffsets_AreIgnored_AndReadsReturnZero()
    {
        _f.Store(Base, 0x1234_5556, 4);
        _f.Store(Base, 0x5555_0000, 4);
        _f.Store(Base + 4, 0x5555, 4);
        _f.Store(Base + 2, 0x5555, 2);               // the high half of the register
        Assert.Equal(0UL, _f.Load(Base, 4));
        Assert.Empty(_endings);
    }

    [Fact]
    public void SixteenBitWrites_Work_ByteAndDoublewordAccessesFault()
    {
        Assert.True(_f.StoreFaults(Base, 1, 0x55));
        Assert.True(_f.StoreFaults(Base, 8, 0x5555));
        Assert.True(_f.Faults(Base, 8));
        Assert.Empty(_endings);
        _f.Store(Base, 0x5555, 2);
        Assert.Equal([(0, null)], _endings);
    }

    [Fact]
    public void OnlyTheFirstEndingIsReported()
    {
        _f.Store(Base, (3u << 16) | 0x3333, 4);
        _f.Store(Base, 0x5555, 4);
        Assert.Equal([(3, null)], _endings);
    }
}
