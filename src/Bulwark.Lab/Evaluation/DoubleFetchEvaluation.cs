using Bulwark.Kernel;
using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Kernel.Protections.DoubleFetchDetection;
using Bulwark.Lab.Exploration;

namespace Bulwark.Lab.Evaluation;

/// <summary>The verdict on one double-fetch handler: how many schedules the explorer needed to win the
/// race without protection; under Midas, for ten times that many (at least the attack's budget), how many
/// schedules held, were violated or ended inconclusive (instruction limit: neither held nor broken);
/// whether detection mode flagged the handler in a racing exploit run (a double fetch of the same bytes
/// whose value a user write changed in between), how many double fetches it reported for the benign guest
/// (false positives: the benign guest's fetches race nobody), and whether the benign guest behaves the same
/// with and without Midas.</summary>
public sealed record HandlerVerdict(
    IDoubleFetchHandler Handler,
    int? SchedulesToExploit,
    int ExploreBudget,
    int MidasBudget,
    int MidasHeld,
    int MidasViolated,
    int MidasInconclusive,
    string? MidasFailure,
    bool Detected,
    int BenignFalsePositives,
    bool BenignUnchanged)
{
    /// <summary>Every schedule Midas ran held: none violated, none inconclusive.</summary>
    public bool MidasStopped => MidasViolated == 0 && MidasInconclusive == 0 && MidasHeld == MidasBudget;
}

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
        int violated = defended.Found ? 1 : 0;
        return new HandlerVerdict(handler, needed, budget, midasBudget,
            defended.SchedulesTried - defended.Inconclusive - violated, violated, defended.Inconclusive, defended.Failure?.Message,
            DetectsRace(handler), FalsePositives(handler), BenignUnchanged(handler));
    }

    /// <summary>Detection mode must see this handler's code fetch the same bytes twice with a user write
    /// changing them in between, in an exploit run: tried on the attack's seeds until a run races.</summary>
    private bool DetectsRace(IDoubleFetchHandler handler)
    {
        string site = handler.GetType().Name + ".";
        for (ulong seed = 0; seed < (ulong)budget; seed++)
            if (Detect(ExploitElf(handler), seed).Any(e => e.Changed && e.FirstSite.StartsWith(site) && e.SecondSite.StartsWith(site))) return true;
        return false;
    }

    /// <summary>What detection reports for the benign guest, whose fetches nothing races.</summary>
    private int FalsePositives(IDoubleFetchHandler handler) => Detect(BenignElf(handler), 0).Count;

    private static IReadOnlyList<DoubleFetchEvent> Detect(string elf, ulong seed)
    {
        var kernel = new KernelCore(new KernelOptions { DetectDoubleFetch = true, Seed = seed, MaxInstructions = 200_000_000 });
        kernel.Run(elf, [elf]);
        return ((DoubleFetchDetector)kernel.UserAccess).Events;
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
