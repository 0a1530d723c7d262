using Microsoft.Extensions.Options;

namespace OvnUnidler.Operator.Configuration;

public sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions options) =>
        options.RequestTimeout <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"{KubernetesOptions.Section}:RequestTimeout must be positive, not {options.RequestTimeout}")
            : ValidateOptionsResult.Success;
}
