using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Hosting;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Southbound:Remote", "tcp:nohost", "Southbound:Remote entry 'tcp:nohost'")]
    [InlineData("Southbound:Remote", "ssl:10.0.0.1:6642", "Southbound:PrivateKeyFile is required")]
    [InlineData("Northbound:Remote", "", "Northbound:Remote is required")]
    [InlineData("Unidler:EventChannelCapacity", "0", "Unidler:EventChannelCapacity")]
    [InlineData("Unidler:BackendsTimeout", "-00:00:01", "Unidler:BackendsTimeout")]
    [InlineData("Unidler:IdlerCrdProbeInterval", "00:01:01", "Unidler:IdlerCrdProbeInterval must be more than 0 and at most 00:01:00")]
    [InlineData("Unidler:IdlerCrdProbeInterval", "00:00:00", "Unidler:IdlerCrdProbeInterval")]
    [InlineData("Acknowledgement:MaxBatchSize", "0", "Acknowledgement:MaxBatchSize")]
    [InlineData("Acknowledgement:TransactionsInFlight", "0", "Acknowledgement:TransactionsInFlight")]
    [InlineData("Acknowledgement:RetryInitialBackoff", "-00:00:01", "Acknowledgement:RetryInitialBackoff")]
    [InlineData("Idling:RequestTimeout", "-00:00:01", "Idling:RequestTimeout")]
    [InlineData("Idling:ConflictRetries", "-1", "Idling:ConflictRetries")]
    [InlineData("Idling:DefaultRetryAfter", "00:00:00", "Idling:DefaultRetryAfter")]
    [InlineData("Kubernetes:RequestTimeout", "-00:00:01", "Kubernetes:RequestTimeout")]
    public async Task A_bad_option_stops_start_up_with_a_message_naming_it(string key, string value, string expected)
    {
        await using var environment = await OperatorEnvironment.StartAsync();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => environment.StartOperatorAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(failure.Failures, message => message.Contains(expected, StringComparison.Ordinal));
    }
}
