using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Operator.Commands;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.EndToEnd.Tests.Scenarios;

/// <summary>
/// A real OVN stack (two chassis, one client port on each) plus a cluster under test, and the
/// operator running in-process against both, as it runs per zone on a node.
/// </summary>
public sealed class ScenarioEnvironment : IAsyncDisposable
{
    private readonly IAsyncDisposable? ownedCluster;
    private readonly List<LabBinding> clients;
    private IHost? host;

    private ScenarioEnvironment(OvnLab lab, IClusterUnderTest cluster, IAsyncDisposable? ownedCluster, LabSwitch network, List<LabBinding> clients, string ns)
    {
        Lab = lab;
        Cluster = cluster;
        this.ownedCluster = ownedCluster;
        Network = network;
        this.clients = clients;
        Namespace = ns;
        Client = cluster.CreateClient();
    }

    public OvnLab Lab { get; }

    public IClusterUnderTest Cluster { get; }

    public LabSwitch Network { get; }

    public string Namespace { get; }

    public IKubernetes Client { get; }

    public OperatorRequestCounter Requests { get; private set; } = new();

    public static async Task<ScenarioEnvironment> StartAsync(IClusterUnderTest cluster, IAsyncDisposable? ownedCluster = null)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var lab = await OvnLab.StartAsync(new OvnLabOptions { Chassis = 2, DirectoryPrefix = "e2e" }, cancellation);
        try
        {
            var network = await lab.AddSwitchAsync("sw0", "192.168.1.0/24", cancellation);
            var clients = new List<LabBinding>();
            for (var i = 0; i < lab.Chassis.Count; i++)
            {
                var port = await lab.AddPortAsync(network, $"client-{i + 1}", cancellation);
                clients.Add(await lab.Chassis[i].BindPortAsync(port, 1, cancellation));
            }

            var ns = $"e2e-{Guid.NewGuid().ToString("N")[..8]}";
            var environment = new ScenarioEnvironment(lab, cluster, ownedCluster, network, clients, ns);
            await environment.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellation);
            return environment;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A Deployment with <paramref name="replicas"/> ready pods behind a Service (the cluster assigns
    /// its IP), idled with `ovn-unidler idle`, and its OVN load balancer with empty backends and
    /// options:event=true (with ovn-kubernetes' owner external_ids when <paramref name="withOwner"/>).
    /// </summary>
    public async Task<IdledApp> CreateIdledAppAsync(string name, int port, string protocol = "TCP", int replicas = 2, bool withOwner = true)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var labels = new Dictionary<string, string> { ["app"] = name };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = Cluster.PodImage }] },
                },
            },
        }, Namespace, cancellationToken: cancellation);
        var service = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec
            {
                Selector = labels,
                Ports = [new V1ServicePort { Name = "main", Port = port, Protocol = protocol, TargetPort = 8080 }],
            },
        }, Namespace, cancellationToken: cancellation);
        await WaitUntilAsync(async () => await ReadyEndpointCountAsync(name) == replicas, $"{name} to have {replicas} ready endpoints");

        var (exit, output) = await RunCommandAsync("idle", $"{Namespace}/{name}");
        Assert.True(exit == 0, $"ovn-unidler idle failed: {output}");
        await WaitUntilAsync(async () => await ReadyEndpointCountAsync(name) == 0, $"{name} to lose its endpoints");

        var clusterIp = service.Spec.ClusterIP;
        var loadBalancer = await Lab.AddLoadBalancerAsync(new LabLoadBalancerSpec
        {
            Name = $"Service_{Namespace}/{name}_{protocol}_cluster",
            Vips = [VipOf(clusterIp, port)],
            Protocol = protocol == "UDP" ? LabProtocol.Udp : LabProtocol.Tcp,
            Switches = [Network.Name],
            ExternalIds = withOwner ? LabLoadBalancerSpec.ServiceExternalIds(Namespace, name) : new Dictionary<string, string>(),
        }, cancellation);
        await Lab.WaitForHypervisorSyncAsync(cancellation);
        return new IdledApp(Namespace, name, clusterIp, port, protocol, replicas, loadBalancer);
    }

    /// <summary>Idles the app again and empties its VIP, as ovn-kubernetes does when the endpoints go.</summary>
    public async Task IdleAgainAsync(IdledApp app)
    {
        var (exit, output) = await RunCommandAsync("idle", $"{app.Namespace}/{app.Name}");
        Assert.True(exit == 0, $"ovn-unidler idle failed: {output}");
        await WaitUntilAsync(async () => await ReadyEndpointCountAsync(app.Name) == 0, $"{app.Name} to lose its endpoints");
        await Lab.SetBackendsAsync(app.LoadBalancer, app.Vip, [], TestContext.Current.CancellationToken);
        await Lab.WaitForHypervisorSyncAsync(TestContext.Current.CancellationToken);
    }

    public async Task StartOperatorAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        Requests = new OperatorRequestCounter();
        var client = Cluster.CreateOperatorClient(Requests);
        var configuration = new Dictionary<string, string?>
        {
            ["Unidler:Mode"] = "PerZone",
            ["Unidler:Backends"] = "Write",
            ["Unidler:BackendsTimeout"] = Cluster.Patience.ToString("c", CultureInfo.InvariantCulture),
            ["Unidler:Namespaces:0"] = Namespace,
            ["Unidler:WakeRetryInitialBackoff"] = "00:00:00.050",
            ["Unidler:WakeRetryMaxBackoff"] = "00:00:01",
            ["Southbound:Remote"] = Lab.SouthboundRemote,
            ["Northbound:Remote"] = Lab.NorthboundRemote,
            ["Southbound:ReconnectMaxBackoff"] = "00:00:00.500",
            ["Http:Port"] = "0",
            ["LeaderElection:LeaseNamespace"] = Namespace,
            ["LeaderElection:Identity"] = $"e2e-{Guid.NewGuid():N}",
        };
        foreach (var (key, value) in Cluster.OperatorSettings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            configuration[key] = value;
        }

        host = UnidlerHost.Build([], configuration, services =>
        {
            services.AddSingleton(client);
            services.AddLogging(logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider()).SetMinimumLevel(LogLevel.Debug));
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        var readiness = host.Services.GetRequiredService<ReadinessSignals>();
        await WaitUntilAsync(() => Task.FromResult(readiness.IsReady), "the operator to be ready");
    }

    /// <summary>Every request the operator made was authorized (its roles are enough for what it did).</summary>
    public void AssertTheOperatorWasNeverRefused()
    {
        var refused = Cluster.RefusedOperatorRequests(Requests);
        Assert.True(refused.Count == 0, $"refused: {string.Join("; ", refused)}");
    }

    public async Task StopOperatorAsync()
    {
        if (host is { } running)
        {
            host = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await running.StopAsync(timeout.Token);
            running.Dispose();
        }
    }

    /// <summary>One packet from the client port on chassis <paramref name="chassis"/> (0-based) to the app's VIP.</summary>
    public Task SendAsync(IdledApp app, int chassis = 0) =>
        Lab.Chassis[chassis].SendAsync(
            LabPacket.To(app.Vip, clients[chassis], app.Protocol == "UDP" ? LabProtocol.Udp : LabProtocol.Tcp),
            TestContext.Current.CancellationToken);

    public async Task<IReadOnlyList<LabControllerEvent>> EventRowsAsync() => await Lab.GetControllerEventsAsync(TestContext.Current.CancellationToken);

    /// <summary>Scale-subresource writes the operator made for the app that the API server accepted.</summary>
    public int ScaleWrites(IdledApp app) =>
        Requests.Count(HttpMethod.Put, $"/namespaces/{app.Namespace}/deployments/{app.Name}/scale")
        + Requests.Count(HttpMethod.Patch, $"/namespaces/{app.Namespace}/deployments/{app.Name}/scale");

    public async Task<int> ReplicasAsync(IdledApp app) =>
        (await Client.AppsV1.ReadNamespacedDeploymentAsync(app.Name, app.Namespace, cancellationToken: TestContext.Current.CancellationToken)).Spec.Replicas ?? 0;

    public async Task<IDictionary<string, string>> AnnotationsAsync(IdledApp app) =>
        (await Client.CoreV1.ReadNamespacedServiceAsync(app.Name, app.Namespace, cancellationToken: TestContext.Current.CancellationToken)).Metadata.Annotations
        ?? new Dictionary<string, string>();

    public async Task<int> NeedPodsEventsAsync(IdledApp app) =>
        (await Client.CoreV1.ListNamespacedEventAsync(app.Namespace, cancellationToken: TestContext.Current.CancellationToken)).Items
            .Count(item => item.Reason == "NeedPods" && item.InvolvedObject.Name == app.Name);

    public async Task<string> BackendsAsync(IdledApp app)
    {
        var output = await Lab.NbctlAsync(["get", "Load_Balancer", app.LoadBalancer, $"vips:\"{app.Vip}\""], TestContext.Current.CancellationToken);
        return output.Trim().Trim('"');
    }

    public Task WaitUntilAsync(Func<Task<bool>> condition, string what) => WaitUntilAsync(condition, what, Cluster.Patience);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        try
        {
            await Client.CoreV1.DeleteNamespaceAsync(Namespace);
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // A cluster that is already gone has nothing left to clean.
        }

        Client.Dispose();
        await Lab.DisposeAsync();
        if (ownedCluster is not null)
        {
            await ownedCluster.DisposeAsync();
        }
    }

    private async Task<int> ReadyEndpointCountAsync(string service)
    {
        var slices = await Client.DiscoveryV1.ListNamespacedEndpointSliceAsync(
            Namespace, labelSelector: $"kubernetes.io/service-name={service}", cancellationToken: TestContext.Current.CancellationToken);
        return slices.Items.SelectMany(slice => slice.Endpoints ?? []).Count(endpoint => endpoint.Conditions?.Ready != false);
    }

    private async Task<(int Exit, string Output)> RunCommandAsync(string command, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync([command, .. arguments, "--kubeconfig", Cluster.KubeconfigPath], output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString() + error);
    }

    private static string VipOf(string clusterIp, int port) =>
        clusterIp.Contains(':', StringComparison.Ordinal) ? $"[{clusterIp}]:{port}" : $"{clusterIp}:{port}";
}
