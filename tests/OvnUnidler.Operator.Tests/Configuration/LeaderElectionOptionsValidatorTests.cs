using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Operator.Tests.Configuration;

public sealed class LeaderElectionOptionsValidatorTests
{
    [Theory]
    [InlineData(15, 10, 2)]
    [InlineData(4, 2, 0.5)]
    public void Accepts_a_lease_that_outlasts_the_renew_deadline_and_two_retry_periods(double lease, double renew, double retry)
    {
        var result = new LeaderElectionOptionsValidator().Validate(null, Options(lease, renew, retry));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(14, 10, 2)]
    [InlineData(3, 2, 0.5)]
    [InlineData(15, 10, 3)]
    public void Refuses_a_lease_a_standby_could_take_while_the_old_leader_may_still_act(double lease, double renew, double retry)
    {
        var result = new LeaderElectionOptionsValidator().Validate(null, Options(lease, renew, retry));

        Assert.True(result.Failed);
        Assert.Contains("LeaderElection:LeaseDuration", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_renew_deadline_shorter_than_a_retry_period()
    {
        var result = new LeaderElectionOptionsValidator().Validate(null, Options(30, 2, 3));

        Assert.True(result.Failed);
        Assert.Contains("RenewDeadline", result.FailureMessage, StringComparison.Ordinal);
    }

    private static LeaderElectionOptions Options(double lease, double renew, double retry) => new()
    {
        LeaseDuration = TimeSpan.FromSeconds(lease),
        RenewDeadline = TimeSpan.FromSeconds(renew),
        RetryPeriod = TimeSpan.FromSeconds(retry),
    };
}
