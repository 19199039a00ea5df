using Bulwark.S3k;
using Bulwark.S3k.Capabilities;

namespace Bulwark.Tests.S3k;

/// <summary>The table itself: entry numbers and their bounds, and the version that tells DMA ownership
/// checks to look again (found by mutation testing, mutation/README.md).</summary>
public sealed class CapTableTests
{
    [Fact]
    public void EntriesAreNumberedPerProcessAndCheckedAgainstBothBounds()
    {
        var t = new CapTable(2, 4);
        Assert.Equal(7, t.Get(1, 3));
        Assert.Equal(1, t.Pid(7));
        Assert.Equal(3, t.Index(7));
        Assert.Equal("Kernel assertion failed at src/cap_table.c:38.", Assert.Throws<KernelAssertion>(() => t.Get(2, 0)).Message);
        Assert.Equal("Kernel assertion failed at src/cap_table.c:39.", Assert.Throws<KernelAssertion>(() => t.Get(0, 4)).Message);
    }

    [Fact]
    public void EveryChangeBumpsTheVersionAndAMoveOntoItselfChangesNothing()
    {
        var t = new CapTable(1, 4);
        var mon = Cap.Monitor(0, 1);
        int v = t.Version;
        t.SetCap(0, mon);
        Assert.True(t.Version > v);
        // Entry 0 alone is a one-entry circular list (fresh links are 0).
        v = t.Version;
        t.Insert(1, Cap.Monitor(0, 1), 0);
        Assert.True(t.Version > v);
        Assert.Equal([0, 1], t.ListFrom(0));
        v = t.Version;
        t.Move(1, 2);
        Assert.True(t.Version > v);
        Assert.Equal([0, 2], t.ListFrom(0));
        v = t.Version;
        t.Move(2, 2);
        Assert.Equal(v, t.Version);
        Assert.Equal(mon, t.Cap(2));
        t.Delete(2);
        Assert.True(t.Version > v);
        Assert.True(t.IsEmpty(2));
        Assert.Equal([0], t.ListFrom(0));
    }
}
