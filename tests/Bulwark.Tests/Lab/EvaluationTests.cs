using Bulwark.Kernel.Lab.DoubleFetch;
using Bulwark.Lab.Evaluation;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Lab;

public sealed class EvaluationTests
{
    private static readonly DoubleFetchEvaluation Evaluation = new(GuestCase.RepositoryPath("lab", "doublefetch"), budget: 40);

    [Fact]
    public void EveryHandlerHasGuestsUnderTheNamesEvalLooksFor()
    {
        Assert.True(DfBenchDevice.Handlers.Count >= 12);
        foreach (var handler in DfBenchDevice.Handlers)
        {
            Assert.True(File.Exists(Evaluation.ExploitElf(handler)), Evaluation.ExploitElf(handler));
            Assert.True(File.Exists(Evaluation.BenignElf(handler)), Evaluation.BenignElf(handler));
        }
    }

    [Fact]
    public void SizeCheckVerdictIsExploitedStoppedAndFlagged()
    {
        var verdict = Evaluation.Evaluate(DfBenchDevice.Handlers.Single(h => h.Name == "DFB_SIZE_CHECK"));
        Assert.NotNull(verdict.SchedulesToExploit);
        Assert.True(verdict.MidasStopped, verdict.MidasFailure);
        Assert.True(verdict.MidasBudget >= 10 * verdict.SchedulesToExploit!.Value);
        Assert.Equal(verdict.MidasBudget, verdict.MidasHeld);
        Assert.Equal(0, verdict.MidasViolated);
        Assert.Equal(0, verdict.MidasInconclusive);
        Assert.True(verdict.Detected);
        Assert.True(verdict.BenignUnchanged);
    }

    [Fact]
    public void AnInconclusiveScheduleIsNotCountedAsHeld()
    {
        var verdict = new HandlerVerdict(DfBenchDevice.Handlers[0], 2, 40, 40, MidasHeld: 39, MidasViolated: 0, MidasInconclusive: 1,
            MidasFailure: null, Detected: true, BenignFalsePositives: 0, BenignUnchanged: true);
        Assert.False(verdict.MidasStopped);
    }
}
