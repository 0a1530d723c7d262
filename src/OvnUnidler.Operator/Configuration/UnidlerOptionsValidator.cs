using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OvnUnidler.Operator.Configuration;

/// <summary>Stops start-up with a message naming the bad setting (Unidler:NAME) and its value.</summary>
public sealed partial class UnidlerOptionsValidator : IValidateOptions<UnidlerOptions>
{
    public ValidateOptionsResult Validate(string? name, UnidlerOptions options)
    {
        var errors = new List<string>();
        if (options.EventChannelCapacity is < 1 or > 10_000_000)
        {
            errors.Add($"Unidler:EventChannelCapacity must be between 1 and 10000000, not {options.EventChannelCapacity}");
        }

        if (options.WakeConcurrency is < 1 or > 1024)
        {
            errors.Add($"Unidler:WakeConcurrency must be between 1 and 1024, not {options.WakeConcurrency}");
        }

        if (options.WakeMaxAttempts < 1)
        {
            errors.Add($"Unidler:WakeMaxAttempts must be at least 1, not {options.WakeMaxAttempts}");
        }

        if (options.BackendsTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Unidler:BackendsTimeout must be positive, not {options.BackendsTimeout}");
        }

        if (options.WakeRetryInitialBackoff <= TimeSpan.Zero || options.WakeRetryMaxBackoff < options.WakeRetryInitialBackoff)
        {
            errors.Add($"Unidler:WakeRetryInitialBackoff ({options.WakeRetryInitialBackoff}) must be positive and at most Unidler:WakeRetryMaxBackoff ({options.WakeRetryMaxBackoff})");
        }

        if (options.RefusalRetryPeriod <= TimeSpan.Zero)
        {
            errors.Add($"Unidler:RefusalRetryPeriod must be positive, not {options.RefusalRetryPeriod}");
        }

        if (options.UnidleGraceRenewal <= TimeSpan.Zero || options.UnidleGraceRenewal >= TimeSpan.FromSeconds(30))
        {
            errors.Add($"Unidler:UnidleGraceRenewal must be positive and below ovn-kubernetes' 30s grace, not {options.UnidleGraceRenewal}");
        }

        if (options.ResyncPeriod < TimeSpan.FromSeconds(10))
        {
            errors.Add($"Unidler:ResyncPeriod must be at least 10s, not {options.ResyncPeriod}");
        }

        // At most a minute: installing the CRD after the operator must take effect within one.
        if (options.IdlerCrdProbeInterval <= TimeSpan.Zero || options.IdlerCrdProbeInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Unidler:IdlerCrdProbeInterval must be more than 0 and at most 00:01:00, not {options.IdlerCrdProbeInterval}");
        }

        if (options.HolderAddress is { } holder && !System.Net.IPAddress.TryParse(holder, out _))
        {
            errors.Add($"Unidler:HolderAddress must be an IP address, not '{holder}'");
        }

        // A renewal must land well within the stale age, or a live hold would be swept by its peers.
        if (options.HoldRenewal <= TimeSpan.Zero || options.HoldStaleAfter < 2 * options.HoldRenewal)
        {
            errors.Add($"Unidler:HoldRenewal ({options.HoldRenewal}) must be positive and at most half of Unidler:HoldStaleAfter ({options.HoldStaleAfter})");
        }

        foreach (var ns in options.Namespaces.Where(ns => !NamespaceName().IsMatch(ns)))
        {
            errors.Add($"Unidler:Namespaces entry '{ns}' is not a valid namespace name (RFC 1123 label)");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespaceName();
}
