using System.CommandLine;
using Bulwark.Cli.Report;
using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Lab.Benchmarks;
using Bulwark.Lab.Evaluation;
using Bulwark.Lab.Exploration;
using Bulwark.Lab.Passwords;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark eval`: which attack each protection stops, and what it costs. Prints the tables on
/// stdout and writes the report (index.html, results.json, the PNGs) into the output directory.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var budget = new Option<int>("--budget") { Description = "Schedules the explorer may try per unprotected attack (Midas gets ten times what the attack needed)", DefaultValueFactory = _ => 100 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per configuration of each cost measurement, interleaved, after a warm-up round (6 or more give a 95% CI)", DefaultValueFactory = _ => 6 };
        var output = new Option<string>("--out") { Description = "Directory for the report: index.html, results.json and the plots", DefaultValueFactory = _ => "eval-results" };
        var skipCost = new Option<bool>("--skip-cost") { Description = "No cost of Midas (the benchmark suite)" };
        var suite = new Option<string?>("--suite") { HelpName = "FILE", Description = "Benchmark suite for the cost of Midas (LABEL ELF ARGS... per line) [default: the bundled bench/guests/suite.txt]" };
        var passwords = new Option<string>("--passwords") { HelpName = "include|only|skip", Description = "The password-protected memory part (attack x mode, costs, entropy plot)", DefaultValueFactory = _ => "include" };
        var entropySeeds = new Option<int>("--entropy-seeds") { Description = "Runs per address entropy in the statistical plot", DefaultValueFactory = _ => 5 };
        var entropyBits = new Option<int>("--entropy-max-bits") { Description = "Largest address entropy in the statistical plot (14 and up, step 2)", DefaultValueFactory = _ => 24 };
        var revocationBudget = new Option<int>("--revocation-budget") { Description = "Schedules per cell of the revocation table (attack x policy)", DefaultValueFactory = _ => 20 };
        var revocationOnly = new Option<bool>("--revocation-only") { Description = "Only the revocation table" };
        var skipRevocation = new Option<bool>("--skip-revocation") { Description = "No revocation table" };
        var shard = ShardOption.Create("Run only shard I of N of the eval's work (items k with k mod N = I, in a fixed order) and write only its results.json; `bulwark merge` makes the report from the N shards'");
        var command = new Command("eval", "Run every double-fetch attack against no protection, Midas and detection mode and measure Midas's cost; then the password-protected memory's attacks and costs; then every revocation attack against every revoke policy; print the tables and write the report")
        {
            budget, runs, output, skipCost, suite, passwords, entropySeeds, entropyBits, revocationBudget, revocationOnly, skipRevocation, shard,
        };
        OptionRules.Require(budget, b => b >= 1, "is not a positive number of schedules");
        OptionRules.Require(runs, n => n is >= 1 and <= 100, "is not between 1 and 100");
        OptionRules.Require(passwords, p => p is "include" or "only" or "skip", "is not one of: include, only, skip");
        OptionRules.Require(entropySeeds, n => n is >= 1 and <= 100, "is not between 1 and 100");
        OptionRules.Require(entropyBits, n => n is >= 14 and <= 30, "is not between 14 and 30");
        OptionRules.Require(revocationBudget, b => b >= 1, "is not a positive number of schedules");
        command.Validators.Add(r =>
        {
            if (r.GetValue(revocationOnly) && r.GetValue(skipRevocation)) r.AddError("--revocation-only and --skip-revocation cannot be used together");
            if (r.GetValue(revocationOnly) && r.GetValue(passwords) == "only") r.AddError("--revocation-only and --passwords only cannot be used together");
            if (r.GetValue(skipCost) && r.GetValue(suite) != null) r.AddError("--skip-cost and --suite cannot be used together");
        });
        command.SetAction(p =>
        {
            string part = p.GetValue(passwords)!;
            bool revocationAlone = p.GetValue(revocationOnly);
            var settings = new EvalSettings(p.GetValue(budget), p.GetValue(runs), p.GetValue(entropySeeds), p.GetValue(entropyBits),
                p.GetValue(revocationBudget), part, p.GetValue(skipCost), p.GetValue(skipRevocation), revocationAlone, p.GetValue(suite),
                "median; order-statistic CI of the median (binomial, distribution-free)");
            return Execute(settings, ShardOption.Read(p, shard), p.GetValue(output)!, doubleFetch: part != "only" && !revocationAlone,
                passwordPart: part != "skip" && !revocationAlone, revocation: part != "only" && !p.GetValue(skipRevocation));
        });
        return command;
    }

    /// <summary>Finds every guest the chosen parts need before running anything (a missing one is one error
    /// line and status 2), then computes the shard's items; the whole eval then writes the report, a shard
    /// only its results.json (status 0: the verdicts are the merge's).</summary>
    private static int Execute(EvalSettings s, Shard shard, string output, bool doubleFetch, bool passwordPart, bool revocation)
    {
        DoubleFetchEvaluation? attacks = null;
        IReadOnlyList<BenchmarkCase>? suite = null;
        if (doubleFetch)
        {
            string? guests = Repository.Find("lab", "doublefetch");
            if (guests == null) return Refuse("lab/doublefetch (the attack guests) not found; run eval from the repository");
            attacks = new DoubleFetchEvaluation(guests, s.Budget);
            var missing = DfBenchDevice.Handlers.Where(h => !File.Exists(attacks.ExploitElf(h)) || !File.Exists(attacks.BenignElf(h))).ToList();
            if (missing.Count > 0) return Refuse($"no guests for {string.Join(", ", missing.Select(h => h.Name))} in {guests}");
            if (s.Suite != null && !File.Exists(s.Suite)) return Refuse($"{s.Suite}: no such file");
            string? suiteFile = s.Suite ?? Repository.Find("bench", "guests", "suite.txt");
            if (!s.SkipCost && suiteFile != null)
            {
                try { suite = BenchmarkCase.ReadSuite(suiteFile); }
                catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { return Refuse(e.Message); }
            }
        }
        PasswordEvaluation? passwordLab = null;
        if (passwordPart)
        {
            string? guests = Repository.Find("lab", "passwords");
            if (guests == null) return Refuse("lab/passwords (the password lab's guests) not found; run eval from the repository");
            passwordLab = new PasswordEvaluation(guests);
            var missing = passwordLab.MissingGuests().ToList();
            if (missing.Count > 0) return Refuse($"no password-lab guests {string.Join(", ", missing)} in {guests} (run lab/passwords/build.sh)");
        }
        var runner = revocation ? RevocationTable.Runner() : null;
        if (revocation && runner == null) return RunCommand.InputError;
        try { OutputFiles.CreateDirectory(output); }
        catch (OutputFileException e) { return Refuse(e.Message); }

        var items = new List<EvalItem>();
        if (attacks != null) items.AddRange(DoubleFetchEvalSection.AttackItems(attacks));
        if (suite != null) items.AddRange(DoubleFetchEvalSection.CostItems(suite, s.Runs));
        if (passwordLab != null) items.AddRange(PasswordEvalSection.Items(passwordLab, s));
        if (runner != null) items.AddRange(RevocationTable.Items(runner, s.RevocationBudget));
        var results = new EvalResults(EvalResults.CurrentSchema, shard.ToString(), RunContextProbe.Capture(Environment.GetCommandLineArgs()[1..]), null, s,
            attacks != null ? [] : null, suite != null ? [] : null, passwordLab != null ? [] : null, passwordLab != null ? [] : null,
            passwordLab != null ? [] : null, runner != null ? [] : null, [], []);
        var progress = new Progress();
        for (int k = 0; k < items.Count; k++)
        {
            if (!shard.Contains(k)) continue;
            var item = items[k];
            progress.Step(item.Phase, item.Name, items.Take(k).Count(i => i.Phase == item.Phase) + 1, items.Count(i => i.Phase == item.Phase));
            item.Compute(results);
        }
        if (shard == Shard.Whole) return EvalReport.Write(results, output);
        ResultsJson.Write(results, output);
        TextTables.Lines($"Shard {shard}: {Enumerable.Range(0, items.Count).Count(shard.Contains)} of the eval's {items.Count} items; " +
            $"combine the {shard.Count} shards' {ResultsJson.FileName} with `bulwark merge`. This shard's is in");
        Console.WriteLine(Path.GetFullPath(output));
        return 0;
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine($"bulwark: error: {message}");
        return RunCommand.InputError;
    }
}
