using Microsoft.Extensions.Options;

namespace OvnUnidler.Operator.Configuration;

public sealed class LeaderElectionOptionsValidator : IValidateOptions<LeaderElectionOptions>
{
    public ValidateOptionsResult Validate(string? name, LeaderElectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.LeaseName))
        {
            return ValidateOptionsResult.Fail("LeaderElection:LeaseName is required");
        }

        if (!(options.RenewDeadline > options.RetryPeriod && options.RetryPeriod > TimeSpan.Zero))
        {
            return ValidateOptionsResult.Fail(
                $"LeaderElection needs RenewDeadline ({options.RenewDeadline}) > RetryPeriod ({options.RetryPeriod}) > 0");
        }

        // The leader acts until RenewDeadline after its last successful renewal; a standby waits
        // LeaseDuration from when it saw that renewal. The rest must cover one more RetryPeriod and
        // the renewal's round trip, which the elector bounds by abandoning an attempt after one
        // RetryPeriod (the margin): so requests the old leader sent just before it stopped, and
        // timers firing late on a loaded node, still land before a standby may act.
        var margin = options.RetryPeriod;
        if (options.LeaseDuration <= options.RenewDeadline + options.RetryPeriod + margin)
        {
            return ValidateOptionsResult.Fail(
                $"LeaderElection:LeaseDuration ({options.LeaseDuration}) must exceed RenewDeadline ({options.RenewDeadline}) + RetryPeriod ({options.RetryPeriod}) "
                + $"+ one more RetryPeriod for the renewal's round trip, {options.RenewDeadline + options.RetryPeriod + margin}, so that an old leader stops acting before a standby can take the Lease");
        }

        return ValidateOptionsResult.Success;
    }
}
