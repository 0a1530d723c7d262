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

        // client-go's rule: the lease must outlive the renew deadline, which must outlive a retry period.
        if (!(options.LeaseDuration > options.RenewDeadline && options.RenewDeadline > options.RetryPeriod && options.RetryPeriod > TimeSpan.Zero))
        {
            return ValidateOptionsResult.Fail(
                $"LeaderElection needs LeaseDuration ({options.LeaseDuration}) > RenewDeadline ({options.RenewDeadline}) > RetryPeriod ({options.RetryPeriod}) > 0");
        }

        return ValidateOptionsResult.Success;
    }
}
