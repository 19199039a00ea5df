using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Benchmarks;

namespace Bulwark.Lab.Passwords;

/// <summary>One attack against one mode: did it succeed, after how many probes, how fast it could
/// probe when it did not, and who was blamed (the users the throttle counted faults against).</summary>
public sealed record AttackOutcome(string Attack, SharedProtectionMode Mode, bool Succeeded, long Probes, double ProbesPerVirtualSecond,
    string Blamed, string Line);

/// <summary>A mode's cost on the benign workload and on the far-access micro-benchmark (its runs
/// interleaved with the other modes'), and the far accesses both made.</summary>
public sealed record ModeCost(SharedProtectionMode Mode, ConfigurationCost Tree, ConfigurationCost Bench, long FarAccesses)
{
    public long TreeInstructions => Tree.Instructions;
    public long BenchInstructions => Bench.Instructions;
}

/// <summary>Statistical protection against the random prober at one address entropy: probes until the
/// first success, per seed.</summary>
public sealed record EntropyPoint(int Bits, long Pages, IReadOnlyList<long> ProbesToSuccess)
{
    public double Mean => ProbesToSuccess.Count == 0 ? double.NaN : ProbesToSuccess.Average();
}

/// <summary>The password table of `bulwark eval` (issue 14): every attack of lab/passwords against every
/// mode, each mode's cost, and the statistical protection's brute-force success against entropy.</summary>
public sealed class PasswordEvaluation(string guestDirectory)
{
    // Properties, not static arrays: an array in a static field is state a run could change.
    public static IReadOnlyList<SharedProtectionMode> Modes =>
        [SharedProtectionMode.None, SharedProtectionMode.Statistical, SharedProtectionMode.Password, SharedProtectionMode.PasswordTable, SharedProtectionMode.Fallback];

    /// <summary>The attacks, as (name, guest, arguments, statistical address bits).</summary>
    public static IReadOnlyList<(string Name, string Guest, string[] Args, int Bits)> Attacks =>
    [
        ("random prober (2^20 B, 2000 probes)", "prober", ["single", "2000", "20"], 20),
        ("forking prober (50 x 10)", "prober", ["fork", "50", "10", "20"], 20),
        ("pointer injector", "injector", [], SharedLayout.MaxAddressBits),
        ("revoked replay", "replay", [], SharedLayout.MaxAddressBits),
        ("leaked password", "leak", [], SharedLayout.MaxAddressBits),
    ];

    public string Elf(string name) => Path.Combine(guestDirectory, name + ".elf");

    public IEnumerable<string> MissingGuests() =>
        Attacks.Select(a => a.Guest).Append("tree").Append("farbench").Distinct().Where(g => !File.Exists(Elf(g)));

    public AttackOutcome Attack(int index, SharedProtectionMode mode)
    {
        var (name, guest, args, bits) = Attacks[index];
        var run = PasswordRun.Of(Elf(guest), args, mode, addressBits: bits);
        string line = run.Stdout.Split('\n').LastOrDefault(l => l.Contains("ATTACK SUCCEEDED") || l.Contains("attack failed")) ?? run.Stdout.Trim();
        long probes = 1;
        double rate = double.NaN;
        var success = Regex.Match(line, @"after (\d+) probes");
        var failure = Regex.Match(line, @"attack failed: (\d+) probes, no success \([^,]+, ([0-9.]+) virtual s");
        if (success.Success) probes = long.Parse(success.Groups[1].Value, CultureInfo.InvariantCulture);
        else if (failure.Success)
        {
            probes = long.Parse(failure.Groups[1].Value, CultureInfo.InvariantCulture);
            double seconds = double.Parse(failure.Groups[2].Value, CultureInfo.InvariantCulture);
            rate = seconds > 0 ? probes / seconds : double.NaN;
        }
        var blamed = run.Shared.Throttle.Users.Where(u => u.Faults > 0).Select(u => u.Blamed > 0 ? $"uid {u.Uid} ({u.Blamed} blamed)" : $"uid {u.Uid}");
        return new AttackOutcome(name, mode, run.AttackSucceeded, probes, rate, string.Join(", ", blamed) is { Length: > 0 } b ? b : "-", line);
    }

    /// <summary>Every mode's cost, each workload's runs interleaved across the modes (see <see cref="Interleaved"/>).</summary>
    public IReadOnlyList<ModeCost> Costs(int runs)
    {
        var names = Modes.Select(SharedProtectionModes.Name).ToList();
        var far = new long[Modes.Count];
        IReadOnlyList<ConfigurationCost> Measure(string guest, string[] args) => Interleaved.Measure(names, runs, m =>
        {
            var run = PasswordRun.Of(Elf(guest), args, Modes[m]);
            far[m] = run.Shared.Far?.FarAccesses ?? 0; // the same in every run: the seed is fixed
            return run.Instructions;
        });
        var tree = Measure("tree", ["2000"]);
        var treeFar = far.ToArray();
        var bench = Measure("farbench", ["200"]);
        return Modes.Select((mode, m) => new ModeCost(mode, tree[m], bench[m], treeFar[m] + far[m])).ToList();
    }

    /// <summary>The random prober against statistical protection at each entropy, without throttling
    /// (it changes the virtual time a success takes, not the number of probes), one run per seed.</summary>
    public EntropyPoint Entropy(int bits, int seeds)
    {
        long pages = 1L << (bits - 12);
        var probes = new List<long>();
        for (ulong seed = 0; seed < (ulong)seeds; seed++)
        {
            var run = PasswordRun.Of(Elf("prober"), ["single", (pages * 8).ToString(CultureInfo.InvariantCulture), bits.ToString(CultureInfo.InvariantCulture)],
                SharedProtectionMode.Statistical, seed: seed, addressBits: bits, throttling: false, maxInstructions: 4_000_000_000);
            var m = Regex.Match(run.Stdout, @"ATTACK SUCCEEDED after (\d+) probes");
            if (m.Success) probes.Add(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return new EntropyPoint(bits, pages, probes);
    }
}
