using System.Text;
using Bulwark.Kernel;
using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Lab.Exploration;

namespace Bulwark.Tests.Lab;

/// <summary>The /dev/dfbench handlers against their guests in lab/doublefetch: each benign guest uses its
/// request correctly and exits 0; the explorer finds, for each exploit, a schedule where its writer wins
/// the race and the heap's violation names the handler, and Midas holds for ten times that many.</summary>
public sealed class DoubleFetchHandlerTests
{
    private static readonly Lazy<string> Lab = new(FindLab);
    private static string LabDirectory => Lab.Value;

    /// <summary>(guest base name, handler name).</summary>
    private static readonly (string Guest, string Handler)[] Cases =
    [
        ("size_check", "DFB_SIZE_CHECK"),
        ("count_leak", "DFB_COUNT_LEAK"),
        ("dedupe_range", "DFB_DEDUPE_RANGE"),
        ("audit_execve", "DFB_AUDIT_EXECVE"),
        ("cros_ec_xcmd", "DFB_CROS_EC_XCMD"),
        ("mic_vop_add", "DFB_MIC_VOP_ADD"),
        ("handle_to_path", "DFB_HANDLE_TO_PATH"),
        ("perf_attr", "DFB_PERF_ATTR"),
        ("nd_cmd_call", "DFB_ND_CMD_CALL"),
        ("win32k_string", "DFB_WIN32K_STRING"),
        ("xen_blkif", "DFB_XEN_BLKIF"),
        ("xenfb_events", "DFB_XENFB_EVENTS"),
        ("msnd_midq", "DFB_MSND_MIDQ"),
        ("fbsd_cmsg32", "DFB_FBSD_CMSG32"),
    ];

    public static TheoryData<string> Benign => new(Cases.Select(c => c.Guest));

    public static TheoryData<string, string> Exploits
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (guest, handler) in Cases) data.Add(guest, handler);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Benign))]
    public void BenignGuestExitsZero(string guest)
    {
        foreach (ulong seed in new ulong[] { 0, 3 })
        {
            var (result, stdout) = Run(guest + "_benign", seed);
            Assert.True(result.ExitStatus == 0,
                $"{guest}_benign at seed {seed}: status {result.ExitStatus}, message {result.Message}, stdout {stdout}");
        }
    }

    [Theory]
    [MemberData(nameof(Exploits))]
    public void ExplorerFindsTheViolationAndMidasHoldsTenTimesAsLong(string guest, string handler)
    {
        string elf = Path.Combine(LabDirectory, guest + "_exploit.elf");
        var attack = new Explorer(new ExplorationSettings(elf, [], ExplorationStrategy.Random, Budget: 50)).Explore();
        Assert.True(attack.Found, $"{guest}_exploit: no failing schedule in 50");
        var result = attack.Failure!;
        Assert.True(result.IsViolation, $"{guest}_exploit: status {result.ExitStatus}, message {result.Message}");
        Assert.StartsWith("violation:", result.Message);
        Assert.Contains($"handler {handler} (", result.Message);

        int budget = Math.Max(20, 10 * attack.SchedulesTried);
        var defended = new Explorer(new ExplorationSettings(elf, [], ExplorationStrategy.Random, budget, Protection: UserMemoryProtection.Midas)).Explore();
        Assert.False(defended.Found, $"{guest}_exploit under Midas: {defended.Failure?.Message}");
    }

    [Fact]
    public void HandlerListHasDistinctRequestsAndDocumentedOrigins()
    {
        var handlers = DoubleFetchHandlers.All;
        Assert.True(handlers.Count >= 12, $"{handlers.Count} handlers");
        Assert.Equal(handlers.Count, handlers.Select(h => h.Request).Distinct().Count());
        Assert.Equal(handlers.Count, handlers.Select(h => h.Name).Distinct().Count());
        foreach (var h in handlers)
        {
            Assert.StartsWith("DFB_", h.Name);
            Assert.False(string.IsNullOrWhiteSpace(h.Origin), h.Name + " has no Origin");
            Assert.False(string.IsNullOrWhiteSpace(h.Pattern), h.Name + " has no Pattern");
        }
    }

    [Fact]
    public void EveryHandlerWithGuestsIsCoveredAndTheirElfsAreBuilt()
    {
        var names = DoubleFetchHandlers.All.Select(h => h.Name).ToHashSet();
        foreach (var (guest, handler) in Cases)
        {
            Assert.Contains(handler, names);
            Assert.True(File.Exists(Path.Combine(LabDirectory, guest + "_benign.elf")), guest + "_benign.elf missing");
            Assert.True(File.Exists(Path.Combine(LabDirectory, guest + "_exploit.elf")), guest + "_exploit.elf missing");
        }
        // Every handler has its guest pair.
        var covered = Cases.Select(c => c.Handler).ToHashSet();
        foreach (var h in DoubleFetchHandlers.All)
            Assert.Contains(h.Name, covered);
    }

    private static (RunResult Result, string Stdout) Run(string name, ulong seed)
    {
        string elf = Path.Combine(LabDirectory, name + ".elf");
        var stdout = new MemoryStream();
        var kernel = new KernelCore(new KernelOptions
        {
            Harts = 4,
            Seed = seed,
            MaxInstructions = 2_000_000_000,
            Stdout = stdout,
            Stderr = new MemoryStream(),
        });
        var result = kernel.Run(elf, [elf]);
        return (result, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    private static string FindLab()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "lab", "doublefetch");
            if (File.Exists(Path.Combine(candidate, "dfbench.h"))) return candidate;
        }
        throw new DirectoryNotFoundException("lab/doublefetch not found above " + AppContext.BaseDirectory);
    }
}
