using Microsoft.Extensions.Options;

namespace OvnUnidler.Operator.Configuration;

/// <summary>Validates the Southbound and Northbound remotes and their TLS files at start.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var section = name ?? "Database";
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Remote))
        {
            errors.Add($"{section}:Remote is required (unix:PATH, tcp:HOST:PORT, ssl:HOST:PORT, or a comma-separated list)");
            return ValidateOptionsResult.Fail(errors);
        }

        var remotes = options.Remote.Split(',', StringSplitOptions.TrimEntries);
        foreach (var remote in remotes)
        {
            if (!(remote.StartsWith("unix:", StringComparison.Ordinal) && remote.Length > 5)
                && !(remote.StartsWith("tcp:", StringComparison.Ordinal) && HasHostAndPort(remote[4..]))
                && !(remote.StartsWith("ssl:", StringComparison.Ordinal) && HasHostAndPort(remote[4..])))
            {
                errors.Add($"{section}:Remote entry '{remote}' is not unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT");
            }
        }

        if (remotes.Any(remote => remote.StartsWith("ssl:", StringComparison.Ordinal)))
        {
            foreach (var (key, file) in new[]
            {
                ("PrivateKeyFile", options.PrivateKeyFile), ("CertificateFile", options.CertificateFile), ("CaCertificateFile", options.CaCertificateFile),
            })
            {
                if (string.IsNullOrWhiteSpace(file))
                {
                    errors.Add($"{section}:{key} is required for an ssl: remote");
                }
                else if (!File.Exists(file))
                {
                    errors.Add($"{section}:{key} '{file}' does not exist");
                }
            }
        }

        if (options.InactivityProbe < TimeSpan.Zero || options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:InactivityProbe must not be negative and {section}:ConnectTimeout must be positive");
        }

        if (options.ReconnectInitialBackoff <= TimeSpan.Zero || options.ReconnectMaxBackoff < options.ReconnectInitialBackoff)
        {
            errors.Add($"{section}:ReconnectInitialBackoff must be positive and at most {section}:ReconnectMaxBackoff");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool HasHostAndPort(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        return colon > 0 && int.TryParse(hostPort[(colon + 1)..], out var port) && port is > 0 and <= 65535;
    }
}
