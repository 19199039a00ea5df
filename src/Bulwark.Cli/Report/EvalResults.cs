using Bulwark.Lab.Benchmarks;
using Bulwark.Lab.Evaluation;

namespace Bulwark.Cli.Report;

// What `bulwark eval` found, as results.json holds it. Every cell keeps its raw counts and samples (not
// only ratios and medians). A section that did not run is null.

/// <summary>The eval's results. Shard is "0/1" for the whole eval (run on one machine or merged from
/// shards); "I/N" is one shard's part: the lists hold only the items of shard I (item k of the whole
/// eval, in its fixed order, belongs to shard k mod N) and there are no tables or figures yet.
/// ShardContexts: where each shard ran, when merged.</summary>
public sealed record EvalResults(
    string Schema, string Shard, RunContext Context, List<RunContext>? ShardContexts, EvalSettings Settings,
    List<AttackResult>? Attacks, List<BenchmarkResult>? MidasCosts,
    List<PasswordAttackResult>? PasswordAttacks, List<PasswordCostResult>? PasswordCosts, List<EntropyResult>? Entropy,
    List<RevocationResult>? Revocation, List<ReportTable> Tables, List<Figure> Figures)
{
    public const string CurrentSchema = "bulwark-eval/2";
}

/// <summary>Where and how the results were measured.</summary>
public sealed record RunContext(string Cpu, int Cores, string Os, string Dotnet, string Commit, string Command, string DateUtc);

public sealed record EvalSettings(int Budget, int Runs, int EntropySeeds, int EntropyMaxBits, int RevocationBudget, string Passwords,
    bool SkipCost, bool SkipRevocation, bool RevocationOnly, string? Suite, string CiMethod);

/// <summary>One double-fetch handler: schedules the explorer tried and needed without protection, Midas's
/// held / violated / inconclusive schedules of its budget, detection's verdict and the benign guest's.</summary>
public sealed record AttackResult(string Handler, string Origin, int ExploreBudget, int? SchedulesToExploit, int MidasBudget,
    int MidasHeld, int MidasViolated, int MidasInconclusive, string? MidasFailure, bool DetectionFlagged, int BenignFalsePositives,
    bool BenignUnchanged);

/// <summary>One configuration's timed runs (sample i of every configuration ran in the same round) and
/// their medians with CIs.</summary>
public sealed record CostSamples(string Configuration, double[] WallSeconds, double[] CpuSeconds, long[] Instructions,
    Estimate Wall, Estimate Cpu, long MedianInstructions)
{
    public static CostSamples Of(ConfigurationCost c) => new(c.Configuration, c.Samples.Select(s => s.WallSeconds).ToArray(),
        c.Samples.Select(s => s.CpuSeconds).ToArray(), c.Samples.Select(s => s.Instructions).ToArray(), c.Wall, c.Cpu, c.Instructions);
}

public sealed record BenchmarkResult(string Benchmark, long Syscalls, long VersionsCreated, long PeakExtraBytes, int ExitStatusNone,
    int ExitStatusMidas, CostSamples None, CostSamples Midas, Estimate WallOverheadPercent, Estimate CpuOverheadPercent,
    double InstructionOverheadPercent);

public sealed record PasswordAttackResult(string Attack, string Mode, bool Succeeded, bool AsDesigned, long Probes,
    double? ProbesPerVirtualSecond, string Blamed);

/// <summary>One mode's cost; overheads are against mode none, per round.</summary>
public sealed record PasswordCostResult(string Mode, long FarAccesses, CostSamples Tree, CostSamples FarBench,
    double TreeInstructionOverheadPercent, double FarBenchInstructionOverheadPercent,
    Estimate TreeWallOverheadPercent, Estimate FarBenchWallOverheadPercent);

public sealed record EntropyResult(int Bits, long Pages, int Seeds, long[] ProbesToSuccess, double? MeanProbes, double ExpectedProbes);

/// <summary>One revocation cell: totals over its runs.</summary>
public sealed record RevocationResult(string Attack, string Defence, int Runs, int Broken, int Raced, ulong LeakedBytes, ulong CorruptedBytes,
    ulong AfterHandOverBytes, ulong ExposedAtEndBytes, int CompletedTwice, int Lost, int Failed, int Completed, int Refused, int Backstopped,
    int Denials, double? MeanLatencyUs, double? MaxLatencyUs, int NeverAvailable, double ThroughputMBps, int LogProblems);

/// <summary>A table as printed on stdout and shown on the page: cells are text, a cell's lines separated by '\n'.</summary>
public sealed record ReportTable(string Section, string Id, string Title, string[] Columns, bool[] RightAligned, List<string[]> Rows, string? Note = null);

/// <summary>A PNG written beside results.json.</summary>
public sealed record Figure(string Section, string File, string Title, string Caption);
