using k8s;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Network;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// One real-traffic lab for the collection (zones az1 and az2 joined by ovn-ic, nodes node1,
/// node2 in az1 and node3, node4 in az2, geneve between all), one API double whose Pods the lab
/// kubelet runs. The lab has a host link, on which the double listens too, so that an operator
/// process in an operator pod reaches it as a pod reaches its API server. Each test works in its
/// own namespace with its own operator instances.
/// </summary>
public sealed class RealTrafficFixture : IAsyncLifetime
{
    private TrafficLab? lab;
    private KubernetesApiDouble? api;
    private LabCluster? cluster;

    public string? WhyUnavailable { get; private set; }

    public TrafficLab Lab => lab ?? throw new InvalidOperationException(WhyUnavailable ?? "fixture not initialised");

    public KubernetesApiDouble Api => api ?? throw new InvalidOperationException(WhyUnavailable ?? "fixture not initialised");

    public LabCluster Cluster => cluster ?? throw new InvalidOperationException(WhyUnavailable ?? "fixture not initialised");

    public IKubernetes Client => Cluster.Client;

    /// <summary>A kubeconfig for operators in operator pods: the double at its address on the lab's host link.</summary>
    public string OperatorKubeconfig { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        WhyUnavailable = TrafficLab.WhyUnavailable();
        if (WhyUnavailable is not null)
        {
            return;
        }

        var cancellation = TestContext.Current.CancellationToken;
        lab = await TrafficLab.StartAsync(new TrafficLabOptions { Zones = 2, NodesPerZone = 2, HostLink = true }, cancellation);
        var options = KubernetesApiDoubleOptions.ForOutsideKubelet(Repository.Combine("crds"));
        options.ListenAddresses.Add(lab.HostAddress!);
        api = await KubernetesApiDouble.StartAsync(options, cancellation);
        cluster = LabCluster.Start(lab, api.CreateClient());
        OperatorKubeconfig = Path.Combine(lab.Directory, "operator-kubeconfig.yaml");
        await File.WriteAllTextAsync(OperatorKubeconfig, api.KubeconfigFor(api.AdminToken, api.ServerOn(lab.HostAddress!)), cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}
