using Bulwark.S3k.Dma;
using Bulwark.Tests.Corpora;

namespace Bulwark.Tests.S3k.Revoke;

/// <summary>The course's own drivers under every revoke policy: the exercise (app0, a monitor with an
/// xv6-style virtio-blk driver and FatFs, loads app2.bin from the disk into app1's memory and boots it)
/// and tutorial 9 (a FAT file written and read back) must print exactly what the real kernel printed on
/// qemu, with every DMA access checked and none refused, nothing leaked, no request lost.</summary>
public sealed class BenignWorkloadTests
{
    public static TheoryData<string, RevokePolicy> ProjectsAndPolicies()
    {
        var data = new TheoryData<string, RevokePolicy>();
        foreach (var project in new[] { "exercise", "tutorial.09.fs" })
            foreach (var policy in Enum.GetValues<RevokePolicy>())
                data.Add(project, policy);
        return data;
    }

    [Theory]
    [MemberData(nameof(ProjectsAndPolicies))]
    public void TheCoursesDriversWorkUnchanged(string project, RevokePolicy policy)
    {
        var config = S3kRun.ConfigFor(project) with { RevokePolicy = policy, TrackDma = true };
        var (console, result, system) = S3kRun.Project(project, 0.06, config, seed: 3);
        Assert.Equal(124, result.ExitStatus);
        Assert.Empty(system.Kernel.Faults);
        Assert.Equal(S3kOracle.Console(project).TrimEnd('\n'), S3kOracle.Normalize(console).TrimEnd('\n'));
        var r = system.Kernel.DmaReport()!;
        Assert.True(r.Completed > 0, "the driver made no request");
        Assert.Equal((0, 0UL, 0UL, 0, 0, 0), (r.Refused, r.LeakedBytes, r.CorruptedBytes, r.Lost, r.Failed, r.CompletedTwice));
        Assert.Empty(system.Kernel.Dma!.Log.CheckAgainstTimeline());
    }
}
