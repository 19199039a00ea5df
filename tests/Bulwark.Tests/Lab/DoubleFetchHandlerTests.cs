using System.Text;
using Bulwark.Kernel;
using Bulwark.Kernel.Lab.DoubleFetch;

namespace Bulwark.Tests.Lab;

/// <summary>The /dev/dfbench handlers against their guests in lab/doublefetch: each benign guest uses its
/// request correctly and exits 0; each exploit, at the first seed (of 0..40, default options) where its
/// writer wins the race, stops the run with the heap's violation naming the handler.</summary>
public sealed class DoubleFetchHandlerTests
{
    private static readonly Lazy<string> Lab = new(FindLab);
    private static string LabDirectory => Lab.Value;

    /// <summary>(guest base name, handler name, first violating seed of NAME_exploit.elf).</summary>
    private static readonly (string Guest, string Handler, ulong Seed)[] Cases =
    [
        ("size_check", "DFB_SIZE_CHECK", 1),
        ("count_leak", "DFB_COUNT_LEAK", 0),
        ("dedupe_range", "DFB_DEDUPE_RANGE", 1),
        ("audit_execve", "DFB_AUDIT_EXECVE", 1),
        ("cros_ec_xcmd", "DFB_CROS_EC_XCMD", 1),
        ("mic_vop_add", "DFB_MIC_VOP_ADD", 1),
        ("handle_to_path", "DFB_HANDLE_TO_PATH", 3),
        ("perf_attr", "DFB_PERF_ATTR", 0),
        ("nd_cmd_call", "DFB_ND_CMD_CALL", 3),
        ("win32k_string", "DFB_WIN32K_STRING", 0),
        ("xen_blkif", "DFB_XEN_BLKIF", 0),
        ("xenfb_events", "DFB_XENFB_EVENTS", 1),
        ("msnd_midq", "DFB_MSND_MIDQ", 0),
        ("fbsd_cmsg32", "DFB_FBSD_CMSG32", 0),
    ];

    public static TheoryData<string> Benign => new(Cases.Select(c => c.Guest));

    public static TheoryData<string, string, ulong> Exploits
    {
        get
        {
            var data = new TheoryData<string, string, ulong>();
            foreach (var (guest, handler, seed) in Cases) data.Add(guest, handler, seed);
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
    public void ExploitStopsWithViolationNamingTheHandler(string guest, string handler, ulong seed)
    {
        var (result, stdout) = Run(guest + "_exploit", seed);
        Assert.True(result.ExitStatus == RunResult.ViolationStatus,
            $"{guest}_exploit at seed {seed}: status {result.ExitStatus}, message {result.Message}, stdout {stdout}");
        Assert.NotNull(result.Message);
        Assert.StartsWith("violation:", result.Message);
        Assert.Contains($"handler {handler} (", result.Message);
        Assert.True(result.IsViolation);
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
        foreach (var (guest, handler, _) in Cases)
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
