namespace Bulwark.Lab.Evaluation;

/// <summary>A median with its distribution-free confidence interval: the order-statistic interval
/// [x(j), x(n+1-j)] of the sorted samples, whose coverage comes from the binomial distribution of how many
/// samples fall below the true median (no assumption about the timing distribution, which on a shared
/// machine is skewed and has outliers). <see cref="Coverage"/> is the interval's exact coverage: at least
/// 0.95 from 6 samples on; with fewer it is [min, max] and covers less (5 samples: 0.9375), which the
/// report prints.</summary>
public sealed record Estimate(double Median, double Low, double High, double Coverage, int Samples)
{
    /// <summary>The same estimate through a monotonically increasing function (a ratio as a percentage).</summary>
    public Estimate Map(Func<double, double> f) => this with { Median = f(Median), Low = f(Low), High = f(High) };
}

public static class Statistics
{
    public const double Confidence = 0.95;

    public static double Median(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples", nameof(samples));
        var sorted = samples.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>The median and the narrowest symmetric order-statistic interval that covers the true median
    /// with probability at least 95% (or [min, max] when no interval does).</summary>
    public static Estimate MedianWithCi(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        int n = sorted.Length;
        int j = OrderIndex(n);
        return new Estimate(Median(sorted), sorted[j - 1], sorted[n - j], Coverage(n, j), n);
    }

    /// <summary>The coverage of the interval <see cref="MedianWithCi"/> gives for <paramref name="n"/> samples.</summary>
    public static double MedianCiCoverage(int n) => Coverage(n, OrderIndex(n));

    /// <summary>The largest j ≤ (n+1)/2 whose interval [x(j), x(n+1-j)] still covers 95%, or 1.</summary>
    private static int OrderIndex(int n)
    {
        int j = 1;
        while (j + 1 <= (n + 1) / 2 && Coverage(n, j + 1) >= Confidence) j++;
        return j;
    }

    /// <summary>P(x(j) ≤ median ≤ x(n+1-j)) = 1 − 2·P(Binomial(n, ½) ≤ j − 1).</summary>
    public static double Coverage(int n, int j)
    {
        double tail = 0;
        for (int k = 0; k < j; k++) tail += BinomialHalf(n, k);
        return Math.Max(0, 1 - 2 * tail);
    }

    private static double BinomialHalf(int n, int k)
    {
        // C(n, k) / 2^n in logarithms, so 100 runs do not overflow.
        double log = 0;
        for (int i = 0; i < k; i++) log += Math.Log(n - i) - Math.Log(i + 1);
        return Math.Exp(log - n * Math.Log(2));
    }
}
