using OvnUnidler.Lab.Cluster;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Hosting;

/// <summary>
/// A per-zone operator process whose connections to the API server are reset again and again, as on
/// a node with a flapping network: whatever moment a reset meets (a watch, a Lease renewal, a
/// connection being made), the process keeps running, and once the network holds it wakes a Service.
/// </summary>
public sealed class ApiPartitionProcessTests
{
    private const int Cuts = 8;

    [Fact]
    public async Task A_per_zone_operator_whose_api_connections_are_reset_again_and_again_keeps_running_and_then_wakes_a_service()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await using var partition = ApiPartition.Start(environment.Api);
        var settings = environment.ProcessSettings(partition.Kubeconfig);
        settings["Unidler__BackendsTimeout"] = "00:00:05";
        settings["LeaderElection__Identity"] = "operator-flapping";
        settings["LeaderElection__LeaseDuration"] = "00:00:04";
        settings["LeaderElection__RenewDeadline"] = "00:00:02";
        settings["LeaderElection__RetryPeriod"] = "00:00:00.500";
        await using var process = OperatorProcess.Start(settings);
        await process.WaitUntilReadyAsync(Deadline.Long, TestContext.Current.CancellationToken);

        for (var cut = 0; cut < Cuts; cut++)
        {
            var refused = partition.Refused;
            partition.Cut();
            await Eventually.TrueAsync(() => partition.Refused > refused || process.HasExited, "the operator to meet the cut");
            var relayed = partition.Relayed;
            partition.Restore();

            // The next cut comes alternately as soon as a connection is relayed again (while the
            // operator makes and uses it) and after a few (while it resumes its watches and renewals).
            var connections = cut % 2 == 0 ? 1 : 4;
            await Eventually.TrueAsync(() => partition.Relayed >= relayed + connections || process.HasExited, "the operator to connect again");
            Assert.False(process.HasExited, $"the operator exited at cut {cut + 1}: {process.RecentOutput}");
        }

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0 || process.HasExited, "the row handled", Deadline.Long);
        Assert.False(process.HasExited, $"the operator exited: {process.RecentOutput}");
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
        Assert.DoesNotContain("BackgroundService failed", process.RecentOutput, StringComparison.Ordinal);
    }
}
