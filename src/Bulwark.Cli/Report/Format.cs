using System.Globalization;
using Bulwark.Lab.Evaluation;

namespace Bulwark.Cli.Report;

/// <summary>How report cells write numbers: invariant culture, a median with its CI on a second line.</summary>
public static class Format
{
    public static string Ms(double seconds) => (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture);

    public static string Percent(double percent) => percent.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"median\n[low, high]" in milliseconds.</summary>
    public static string MsCi(Estimate e) => $"{Ms(e.Median)}\n[{Ms(e.Low)}, {Ms(e.High)}]";

    public static string PercentCi(Estimate e) => $"{Percent(e.Median)}\n[{Percent(e.Low)}, {Percent(e.High)}]";

    /// <summary>The CI method as the tables' notes name it, with the coverage the run count allows.</summary>
    public static string CiNote(int runs)
    {
        double coverage = Statistics.MedianCiCoverage(runs);
        string interval = runs == 1 ? "one run gives no interval (raise --runs)"
            : $"order-statistic CI of the median, coverage {coverage * 100:F1}%" +
              (coverage < Statistics.Confidence ? " (fewer than 6 runs cannot reach 95%: raise --runs)" : "");
        return $"Cells: median of {runs} interleaved runs after a discarded warm-up round; [low, high]: {interval}. " +
               "Overheads are per-round ratios to none. CPU: process CPU time.";
    }
}
