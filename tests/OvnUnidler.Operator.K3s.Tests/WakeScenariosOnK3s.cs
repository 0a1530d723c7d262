using OvnUnidler.EndToEnd.Tests.Scenarios;

namespace OvnUnidler.Operator.K3s.Tests;

/// <summary>The end-to-end scenarios against a real k3s API server; skipped with the reason where no Docker engine runs.</summary>
[Collection(K3sCollection.Name)]
public sealed class WakeScenariosOnK3s(K3sCluster cluster) : WakeScenarios
{
    protected override Task<(IClusterUnderTest Cluster, IAsyncDisposable? Owned)> ClusterAsync() =>
        Task.FromResult<(IClusterUnderTest, IAsyncDisposable?)>((cluster, null));
}
