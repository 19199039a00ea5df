using Bulwark.Lab.Benchmarks;
using Bulwark.Lab.Evaluation;

namespace Bulwark.Tests.Lab;

/// <summary>The cost measurements' statistics: the order-statistic CI of the median and the interleaving.</summary>
public sealed class StatisticsTests
{
    [Theory]
    [InlineData(5, 1, 0.9375)]    // [min, max] of 5: below 95%
    [InlineData(6, 1, 0.96875)]   // [min, max] of 6: the first that reaches it
    [InlineData(10, 2, 0.978515625)]
    [InlineData(20, 6, 0.958610534667969)]
    public void TheCi_IsTheNarrowestOrderStatisticIntervalCovering95Percent(int n, int j, double coverage)
    {
        var samples = Enumerable.Range(1, n).Select(i => (double)i).Reverse().ToList();
        var e = Statistics.MedianWithCi(samples);
        Assert.Equal(j, e.Low);
        Assert.Equal(n + 1 - j, e.High);
        Assert.Equal(coverage, e.Coverage, 9);
        Assert.Equal(coverage, Statistics.MedianCiCoverage(n), 9);
        Assert.Equal((n + 1) / 2.0, e.Median);
    }

    [Fact]
    public void AnOutlierMovesTheMedianLessThanTheMean()
    {
        var e = Statistics.MedianWithCi([10, 11, 12, 13, 14, 1000]);
        Assert.Equal(12.5, e.Median);
        Assert.Equal(1000, e.High);
    }

    [Fact]
    public void Runs_AreInterleaved_AfterADiscardedWarmUpRound()
    {
        var order = new List<int>();
        var costs = Interleaved.Measure(["a", "b"], 3, c => { order.Add(c); return 100 + c; });
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1], order);
        Assert.All(costs, c => Assert.Equal(3, c.Samples.Count));
        Assert.Equal(101, costs[1].Instructions);
        Assert.All(costs.SelectMany(c => c.Samples), s => Assert.True(s.WallSeconds >= 0 && s.CpuSeconds >= 0));
    }

    /// <summary>Every warm-up round runs every configuration, and none of them is among the samples.</summary>
    [Fact]
    public void WarmUpRounds_AreRunAndDiscarded()
    {
        int calls = 0;
        var costs = Interleaved.Measure(["a", "b"], 2, c => ++calls, warmUpRounds: 3);
        Assert.Equal(10, calls);
        // Calls 1..6 were the warm-up rounds; a's timed runs were calls 7 and 9, b's 8 and 10.
        Assert.Equal(8, costs[0].Instructions);
        Assert.Equal(9, costs[1].Instructions);
        Assert.Throws<ArgumentOutOfRangeException>(() => Interleaved.Measure(["a"], 1, _ => 0, warmUpRounds: 0));
    }

    [Fact]
    public void TheOverhead_IsTheMedianOfPerRoundRatios()
    {
        var baseline = new ConfigurationCost("none", [new(1, 1, 0), new(2, 2, 0), new(4, 4, 0)]);
        var midas = new ConfigurationCost("midas", [new(1.5, 1, 0), new(2.2, 2, 0), new(8, 4, 0)]);
        var overhead = midas.OverheadPercent(baseline, s => s.WallSeconds);
        Assert.Equal(50, overhead.Median, 9);
        Assert.Equal(10, overhead.Low, 9);
        Assert.Equal(100, overhead.High, 9);
    }
}
