using Microsoft.Extensions.Options;

namespace OvnUnidler.Holding;

/// <summary>Validates the Holding section at start; each message names the bad setting (Holding:NAME) and its value.</summary>
public sealed class HoldingOptionsValidator : IValidateOptions<HoldingOptions>
{
    private const string Section = HoldingOptions.Section;

    public ValidateOptionsResult Validate(string? name, HoldingOptions options)
    {
        var errors = new List<string>();
        if (options.ListenIPAddress() is null)
        {
            errors.Add($"{Section}:ListenAddress '{options.ListenAddress}' is not \"+\", \"*\" or an IP address");
        }

        if (options.AdvertiseAddress is not null && options.AdvertisedIPAddress() is null)
        {
            errors.Add($"{Section}:AdvertiseAddress '{options.AdvertiseAddress}' is not an IP address");
        }

        if (options.FirstPort is < 1 or > 65535 || options.LastPort is < 1 or > 65535 || options.FirstPort > options.LastPort)
        {
            errors.Add($"{Section}:FirstPort {options.FirstPort} and LastPort {options.LastPort} must be ports (1-65535) with FirstPort <= LastPort");
        }

        Positive(errors, nameof(options.MaxConnectionsPerService), options.MaxConnectionsPerService);
        Positive(errors, nameof(options.MaxConnections), options.MaxConnections);
        Positive(errors, nameof(options.MaxDatagramsPerClient), options.MaxDatagramsPerClient);
        Positive(errors, nameof(options.MaxDatagramsPerService), options.MaxDatagramsPerService);
        Positive(errors, nameof(options.MaxBufferedBytesPerClient), options.MaxBufferedBytesPerClient);
        Positive(errors, nameof(options.MaxBufferedBytesPerService), options.MaxBufferedBytesPerService);
        if (options.MaxConnectionsPerService > options.MaxConnections)
        {
            errors.Add($"{Section}:MaxConnectionsPerService {options.MaxConnectionsPerService} exceeds {Section}:MaxConnections {options.MaxConnections}");
        }

        if (options.MaxDatagramsPerClient > options.MaxDatagramsPerService || options.MaxBufferedBytesPerClient > options.MaxBufferedBytesPerService)
        {
            errors.Add($"{Section}: a client's bounds (MaxDatagramsPerClient {options.MaxDatagramsPerClient}, MaxBufferedBytesPerClient {options.MaxBufferedBytesPerClient}) exceed the Service's (MaxDatagramsPerService {options.MaxDatagramsPerService}, MaxBufferedBytesPerService {options.MaxBufferedBytesPerService})");
        }

        if (options.UdpFlowIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:UdpFlowIdleTimeout {options.UdpFlowIdleTimeout} must be positive");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:ConnectTimeout {options.ConnectTimeout} must be positive");
        }

        if (options.RelayBufferBytes is < 1024 or > 4 * 1024 * 1024)
        {
            errors.Add($"{Section}:RelayBufferBytes {options.RelayBufferBytes} must be between 1024 and 4194304");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, int value)
    {
        if (value < 1)
        {
            errors.Add($"{Section}:{key} {value} must be at least 1");
        }
    }
}
