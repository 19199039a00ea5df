using Bulwark.Machine;
using Bulwark.Machine.Devices;

namespace Bulwark.Tests.Devices;

/// <summary>Register arrays: one declaration for a register per hart, source or context.</summary>
public sealed class RegisterMapTests
{
    private static RegisterMap NewMap() => new("dev", new DeviceTrace(new VirtualClock()));

    [Fact]
    public void ArrayElements_GetTheirIndex_AtOffsetPlusIndexTimesStride()
    {
        var values = new ulong[3];
        var map = NewMap().DefineArray(0x100, 3, 0x10, 8, "r", i => values[i], (i, v) => values[i] = v);

        Assert.True(map.Write(0x120, 8, 0x1122334455667788));
        Assert.Equal(0x1122334455667788UL, values[2]);
        Assert.Equal(0UL, values[0] | values[1]);
        Assert.True(map.Read(0x124, 4, out ulong high));
        Assert.Equal(0x11223344UL, high);
        Assert.True(map.Write(0x110, 4, 0xdeadbeef));   // the low half of element 1
        Assert.Equal(0xdeadbeefUL, values[1]);
    }

    [Fact]
    public void GapsBetweenElements_AndAccessesSpanningTwo_ReachNoRegister()
    {
        var values = new uint[2];
        var map = NewMap().DefineArray32(0, 2, 8, "r", i => values[i], (i, v) => values[i] = v);

        Assert.True(map.Write(4, 4, 7));                 // between element 0 and element 1
        Assert.True(map.Read(4, 4, out ulong gap));
        Assert.Equal(0UL, gap);
        values[0] = 1;
        Assert.True(map.Read(0, 8, out ulong spanning));   // covers element 0 and the gap
        Assert.Equal(0UL, spanning);
        Assert.Equal([1u, 0u], values);
    }

    [Fact]
    public void InterleavedArrays_AreAllowed_OverlappingOnesAreNot()
    {
        var map = NewMap().DefineArray32(0x1000, 4, 0x100, "a").DefineArray32(0x1004, 4, 0x100, "b");
        Assert.Throws<ArgumentException>(() => map.Define32(0x1204, "c"));
        Assert.Throws<ArgumentException>(() => map.DefineArray32(0xd00, 4, 0x100, "d"));   // its element 3 is a[0]
    }
}
