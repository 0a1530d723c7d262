using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Hosting;

public sealed class LeaseOutageTests
{
    [Fact]
    public async Task A_central_replica_that_cannot_reach_its_lease_keeps_campaigning_and_leads_once_the_api_answers()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var outage = environment.Api.Faults.Add(new FaultRule { Resource = "leases", StatusCode = 503 });
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?> { ["Unidler:Mode"] = "Central" });

        await Eventually.TrueAsync(() => outage.Hits >= 3, "the replica to keep trying the Lease");
        Assert.False(unidler.Metrics.IsLeading);
        Assert.True(environment.Api.Faults.Remove(outage));

        await Eventually.TrueAsync(() => unidler.Metrics.IsLeading, "the replica to lead after the outage", TimeSpan.FromSeconds(30));
        await environment.Southbound.InsertEventAsync("10.96.0.10:80");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row handled by the new leader");
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
    }

    [Fact]
    public async Task A_per_zone_instance_reports_itself_as_acting()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await using var unidler = await environment.StartOperatorAsync();

        await Eventually.TrueAsync(() => unidler.Metrics.IsLeading, "ovn_unidler_leader to be 1 per zone");
    }
}
