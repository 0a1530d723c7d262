using Microsoft.Extensions.Options;
using OvnUnidler.Idling;

namespace OvnUnidler.Operator.Configuration;

/// <summary>
/// Validates the Idling section for the operator (OvnUnidler.Idling itself does not depend on
/// Microsoft.Extensions.Options); the message names the bad setting (Idling:NAME) and its value.
/// </summary>
public sealed class IdlingOptionsValidator : IValidateOptions<IdlingOptions>
{
    public const string Section = "Idling";

    public ValidateOptionsResult Validate(string? name, IdlingOptions options)
    {
        var errors = new List<string>();
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:RequestTimeout must be positive, not {options.RequestTimeout}");
        }

        if (options.ConflictRetries is < 0 or > 100)
        {
            errors.Add($"{Section}:ConflictRetries must be between 0 and 100, not {options.ConflictRetries}");
        }

        if (options.DefaultRetryAfter <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:DefaultRetryAfter must be positive, not {options.DefaultRetryAfter}");
        }

        if (string.IsNullOrWhiteSpace(options.Component))
        {
            errors.Add($"{Section}:Component is required (it is the source of the Events the operator records)");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
