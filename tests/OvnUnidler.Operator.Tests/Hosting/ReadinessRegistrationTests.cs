using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Tests.Hosting;

public sealed class ReadinessRegistrationTests
{
    [Fact]
    public void Per_zone_readiness_waits_for_the_southbound_before_any_stage_has_started()
    {
        var readiness = ReadinessOf("PerZone");

        Assert.False(readiness.IsReady);
        Assert.Equal(["endpointslices", "northbound", "services", "southbound"], readiness.Snapshot().Keys.Order(StringComparer.Ordinal));
        Assert.All(readiness.Snapshot().Values, Assert.False);
    }

    [Fact]
    public void A_central_standby_is_ready_without_the_southbound_that_only_the_leader_watches()
    {
        var readiness = ReadinessOf("Central");
        foreach (var name in new[] { ReadinessNames.Services, ReadinessNames.EndpointSlices, ReadinessNames.Northbound })
        {
            readiness.Set(name, true);
        }

        Assert.True(readiness.IsReady);
        Assert.DoesNotContain(ReadinessNames.Southbound, readiness.Snapshot().Keys);
    }

    private static ReadinessSignals ReadinessOf(string mode)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Repository.Combine("config", "appsettings.json"))
            .AddInMemoryCollection([KeyValuePair.Create("Unidler:Mode", (string?)mode)])
            .Build();
        using var provider = new ServiceCollection().AddLogging().AddUnidler(configuration).BuildServiceProvider();
        return provider.GetRequiredService<ReadinessSignals>();
    }
}
