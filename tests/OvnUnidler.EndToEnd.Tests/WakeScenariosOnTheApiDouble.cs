using OvnUnidler.EndToEnd.Tests.Scenarios;

namespace OvnUnidler.EndToEnd.Tests;

public sealed class WakeScenariosOnTheApiDouble : WakeScenarios
{
    protected override async Task<(IClusterUnderTest Cluster, IAsyncDisposable? Owned)> ClusterAsync()
    {
        var cluster = await DoubleCluster.StartAsync();
        return (cluster, cluster);
    }
}
