using Bulwark.Kernel.Protections.DoubleFetchDetection;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Protections;

public sealed class DoubleFetchDetectionTests
{
    private static string Lab(string name) => Path.Combine(GuestCase.RepositoryPath("lab", "doublefetch"), name + ".elf");

    [Fact]
    public void TheSizeCheckHandlersDoubleFetchIsLoggedWithBothSites()
    {
        string elf = Lab("size_check_benign");
        var run = GuestCase.RunElf(elf, [elf], [], [], detectDoubleFetch: true);
        Assert.Equal(0, run.Status);
        var detector = (DoubleFetchDetector)run.Policy;
        // F1 reads the 4-byte size at arg; F2 copies the request again from arg.
        var e = detector.Events.First(e => e.Overlap && e.FirstLength == 4 && e.FirstAddress == e.SecondAddress);
        Assert.StartsWith("ioctl (29)", e.Syscall);
        Assert.Contains("SizeCheckHandler.Handle", e.FirstSite);
        Assert.Contains("SizeCheckHandler.Handle", e.SecondSite);
        Assert.NotEqual(e.FirstSite, e.SecondSite);
        Assert.False(e.Changed, "nobody races the benign guest");
        Assert.Contains("double-fetch: ioctl (29)", run.Stderr);
    }

    [Fact]
    public void ARacingWriteIsReportedAsAChange()
    {
        string elf = Lab("size_check_exploit");
        bool changed = false;
        for (ulong seed = 0; seed < 8 && !changed; seed++)
        {
            var run = GuestCase.RunElf(elf, [elf], [], [], seed, detectDoubleFetch: true);
            changed = ((DoubleFetchDetector)run.Policy).ChangedDoubleFetches > 0;
        }
        Assert.True(changed);
    }

    [Fact]
    public void UnrelatedDataOnOnePageIsCountedAsAFalsePositive()
    {
        // writev reads its iovec array and then each piece; the pieces share a page but not bytes.
        var run = new GuestCase("midas_copy_to_user").Run(detectDoubleFetch: true);
        var detector = (DoubleFetchDetector)run.Policy;
        Assert.True(detector.FalsePositives > 0);
        Assert.All(detector.Events.Where(e => !e.Overlap), e => Assert.Contains("writev", e.Syscall));
        Assert.Contains("false positive", run.Stderr);
    }
}
