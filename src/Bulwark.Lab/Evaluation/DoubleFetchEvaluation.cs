using Bulwark.Kernel;
using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Kernel.Protections.DoubleFetchDetection;
using Bulwark.Lab.Exploration;

namespace Bulwark.Lab.Evaluation;

/// <summary>The verdict on one double-fetch handler: how many schedules the explorer needed to win the
/// race without protection, whether Midas held for ten times that many (at least the attack's budget), whether detection mode
/// flagged the handler, and whether the benign guest behaves the same with and without Midas.</summary>
public sealed record HandlerVerdict(
    IDoubleFetchHandler Handler,
    int? SchedulesToExploit,
    int ExploreBudget,
    bool MidasStopped,
    int MidasBudget,
    string? MidasFailure,
    bool Detected,
    bool BenignUnchanged);

/// <summary>Runs every /dev/dfbench handler's exploit and benign guest (lab/doublefetch/NAME_exploit.elf
/// and NAME_benign.elf, NAME being the handler's name without DFB_, in lower case).</summary>
public sealed class DoubleFetchEvaluation(string guestDirectory, int budget)
{
    public static string GuestName(IDoubleFetchHandler handler) =>
        (handler.Name.StartsWith("DFB_") ? handler.Name[4..] : handler.Name).ToLowerInvariant();

    public string ExploitElf(IDoubleFetchHandler h) => Path.Combine(guestDirectory, GuestName(h) + "_exploit.elf");
    public string BenignElf(IDoubleFetchHandler h) => Path.Combine(guestDirectory, GuestName(h) + "_benign.elf");

    public HandlerVerdict Evaluate(IDoubleFetchHandler handler)
    {
        string exploit = ExploitElf(handler);
        var attack = new Explorer(new ExplorationSettings(exploit, [], ExplorationStrategy.Random, budget)).Explore();
        int? needed = attack.Found && attack.Failure!.IsViolation ? attack.SchedulesTried : null;
        // Ten times what the attack needed, and never less than the attack's own budget.
        int midasBudget = Math.Max(10 * (needed ?? budget), budget);
        var defended = new Explorer(new ExplorationSettings(exploit, [], ExplorationStrategy.Random, midasBudget, Protection: UserMemoryProtection.Midas)).Explore();
        return new HandlerVerdict(handler, needed, budget, !defended.Found, midasBudget, defended.Failure?.Message,
            Detects(handler), BenignUnchanged(handler));
    }

    /// <summary>Detection mode must log a double fetch of the same bytes made by this handler's code.</summary>
    private bool Detects(IDoubleFetchHandler handler)
    {
        string site = handler.GetType().Name + ".";
        foreach (string elf in new[] { BenignElf(handler), ExploitElf(handler) })
        {
            var kernel = new KernelCore(new KernelOptions { DetectDoubleFetch = true, MaxInstructions = 200_000_000 });
            kernel.Run(elf, [elf]);
            var detector = (DoubleFetchDetector)kernel.UserAccess;
            if (detector.Events.Any(e => e.Overlap && e.FirstSite.StartsWith(site) && e.SecondSite.StartsWith(site))) return true;
        }
        return false;
    }

    private bool BenignUnchanged(IDoubleFetchHandler handler)
    {
        string elf = BenignElf(handler);
        foreach (ulong seed in new ulong[] { 0, 1, 2 })
        {
            var plain = RunCapturing(elf, seed, UserMemoryProtection.None);
            var midas = RunCapturing(elf, seed, UserMemoryProtection.Midas);
            if (plain.Status != 0 || midas.Status != 0 || plain.Output != midas.Output) return false;
        }
        return true;
    }

    private static (int Status, string Output) RunCapturing(string elf, ulong seed, UserMemoryProtection protection)
    {
        var stdout = new MemoryStream();
        var kernel = new KernelCore(new KernelOptions { Seed = seed, Protection = protection, Stdout = stdout, MaxInstructions = 200_000_000 });
        var result = kernel.Run(elf, [elf]);
        return (result.ExitStatus, System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
    }
}
