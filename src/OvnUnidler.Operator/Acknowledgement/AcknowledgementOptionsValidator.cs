using Microsoft.Extensions.Options;

namespace OvnUnidler.Operator.Acknowledgement;

/// <summary>Stops start-up with a message naming the bad setting (Acknowledgement:NAME) and its value.</summary>
public sealed class AcknowledgementOptionsValidator : IValidateOptions<AcknowledgementOptions>
{
    public const string Section = "Acknowledgement";

    public ValidateOptionsResult Validate(string? name, AcknowledgementOptions options)
    {
        var errors = new List<string>();
        if (options.MaxBatchSize is < 1 or > 100_000)
        {
            errors.Add($"{Section}:MaxBatchSize must be between 1 and 100000, not {options.MaxBatchSize}");
        }

        // Zero deleters would leave every handled row in the Southbound for good.
        if (options.TransactionsInFlight is < 1 or > 64)
        {
            errors.Add($"{Section}:TransactionsInFlight must be between 1 and 64, not {options.TransactionsInFlight}");
        }

        if (options.RetryInitialBackoff <= TimeSpan.Zero || options.RetryMaxBackoff < options.RetryInitialBackoff)
        {
            errors.Add($"{Section}:RetryInitialBackoff ({options.RetryInitialBackoff}) must be positive and at most {Section}:RetryMaxBackoff ({options.RetryMaxBackoff})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
