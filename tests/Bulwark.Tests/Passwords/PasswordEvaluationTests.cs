using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;
using Bulwark.Tests.Cli;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Passwords;

/// <summary>`bulwark eval`'s password part: the numbers it reports come from the runs they claim.</summary>
public sealed class PasswordEvaluationTests
{
    private static PasswordEvaluation Evaluation => new(GuestCase.RepositoryPath("lab", "passwords"));

    [Fact]
    public void TheRandomProber_CountsProbesToSuccess_OrItsRateAndTheBlamedUser()
    {
        var statistical = Evaluation.Attack(0, SharedProtectionMode.Statistical);
        Assert.True(statistical.Succeeded);
        Assert.InRange(statistical.Probes, 1, 2000);
        var password = Evaluation.Attack(0, SharedProtectionMode.Password);
        Assert.False(password.Succeeded);
        Assert.Equal(2000, password.Probes);
        Assert.InRange(password.ProbesPerVirtualSecond, 1, 1000);
        Assert.Equal("uid 2000", password.Blamed);
        Assert.Equal("uid 2000 (1 blamed)", Evaluation.Attack(2, SharedProtectionMode.PasswordTable).Blamed);
    }

    [Fact]
    public void Costs_StatisticalAndNoneRunTheSameInstructions_ThePasswordModesAddTheirOwn()
    {
        var costs = Evaluation.Costs(1);
        var none = costs.Single(c => c.Mode == SharedProtectionMode.None);
        var statistical = costs.Single(c => c.Mode == SharedProtectionMode.Statistical);
        var password = costs.Single(c => c.Mode == SharedProtectionMode.Password);
        Assert.Equal(none.TreeInstructions, statistical.TreeInstructions);
        Assert.True(password.TreeInstructions > none.TreeInstructions);
        Assert.True(password.FarAccesses > 0);
        Assert.Equal(0, none.FarAccesses);
    }

    [Fact]
    public void AtLowEntropy_TheProberAlwaysWins()
    {
        var point = Evaluation.Entropy(14, 3);
        Assert.Equal(3, point.ProbesToSuccess.Count);
        Assert.All(point.ProbesToSuccess, p => Assert.InRange(p, 1, 32));
    }

    [Fact]
    public void BadPasswordsValue_OneErrorLine() =>
        BadInputTests.AssertRefused(CliProcess.Run("eval", "--passwords", "bogus"), "--passwords 'bogus' is not one of: include, only, skip");
}
