using Microsoft.Extensions.Options;

namespace OvnUnidler.Operator.Configuration;

public sealed class HttpEndpointOptionsValidator : IValidateOptions<HttpEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpEndpointOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Http:Port {options.Port} is not a TCP port (0 disables the endpoint)");
        }

        if (options.ListenAddress() is null)
        {
            errors.Add($"Http:Host '{options.Host}' is not \"+\", \"*\", \"localhost\" or an IP address");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Http:RequestTimeout {options.RequestTimeout} must be positive");
        }

        if (options.MaxConnections < 1)
        {
            errors.Add($"Http:MaxConnections {options.MaxConnections} must be at least 1");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
