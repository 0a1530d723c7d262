using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Traffic;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// One test's part of the shared real-traffic lab: its namespace, its Services, client pods and
/// operator instances (one per zone, in-process, per-zone mode writing backends). Dispose stops
/// the operators, deletes the workloads (the kubelet removes their pods), the client pods and the
/// rows left in the zones.
/// </summary>
public sealed class RealTrafficScenario : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly RealTrafficFixture fixture;
    private readonly Dictionary<int, IHost> operators = [];
    private readonly List<LabPod> clients = [];
    private readonly List<string> workloads = [];
    private DateTimeOffset? operatorsSince;

    private RealTrafficScenario(RealTrafficFixture fixture, string ns)
    {
        this.fixture = fixture;
        Namespace = ns;
    }

    public string Namespace { get; }

    public TrafficLab Lab => fixture.Lab;

    public IKubernetes Client => fixture.Client;

    public static async Task<RealTrafficScenario> StartAsync(RealTrafficFixture fixture)
    {
        RealTrafficGate.Require(fixture.WhyUnavailable);
        var ns = $"rt-{Guid.NewGuid().ToString("N")[..8]}";
        await fixture.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: TestContext.Current.CancellationToken);
        return new RealTrafficScenario(fixture, ns);
    }

    /// <summary>
    /// A Deployment of one pod server (start-up <paramref name="startDelay"/>, on <paramref name="node"/>)
    /// behind a Service, idled, with its event-raising load balancer in each of <paramref name="zones"/>.
    /// </summary>
    public async Task<IReadOnlyList<LabService>> CreateIdledServiceAsync(
        string name, int port, string protocol = "TCP", TimeSpan? startDelay = null, string node = "node2", bool ipv6 = false,
        int[]? zones = null, bool withOwner = true, IReadOnlyList<string>? extraVips = null, int? nodePort = null)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var (clusterIp, servicePort) = await fixture.Cluster.CreateWorkloadAsync(
            Namespace, name, port, protocol, 1, startDelay ?? TimeSpan.Zero, node, ipv6, Patience, nodePort, cancellation);
        workloads.Add(name);
        var idler = new ServiceIdler(Client, TimeProvider.System, options: new IdlingOptions { Component = "e2e" });
        await idler.IdleAsync(Namespace, name, new IdleRequest(), cancellation);
        await fixture.Cluster.WaitForReadyEndpointsAsync(Namespace, name, 0, Patience, cancellation);
        var services = new List<LabService>();
        foreach (var zone in zones ?? [1])
        {
            services.Add(await fixture.Cluster.AddIdledLoadBalancerAsync(
                Namespace, name, clusterIp, servicePort, protocol, 1, zone, withOwner, extraVips, cancellation));
        }

        return services;
    }

    public async Task<LabPod> ClientAsync(string node = "node1")
    {
        var pod = await Lab.AddPodAsync(Lab.Nodes.Single(candidate => candidate.Name == node), $"{Namespace}_client-{clients.Count}", TestContext.Current.CancellationToken);
        clients.Add(pod);
        return pod;
    }

    public async Task StartOperatorAsync(int zone = 1)
    {
        operatorsSince ??= DateTimeOffset.UtcNow;
        var lab = Lab.Zones[zone - 1];
        var host = UnidlerHost.Build([], new Dictionary<string, string?>
        {
            ["Unidler:Mode"] = "PerZone",
            ["Unidler:Backends"] = "Write",
            ["Unidler:BackendsTimeout"] = Patience.ToString("c", CultureInfo.InvariantCulture),
            ["Unidler:Namespaces:0"] = Namespace,
            ["Unidler:WakeRetryInitialBackoff"] = "00:00:00.050",
            ["Unidler:WakeRetryMaxBackoff"] = "00:00:01",
            ["Southbound:Remote"] = lab.SouthboundRemote,
            ["Northbound:Remote"] = lab.NorthboundRemote,
            ["Southbound:ReconnectMaxBackoff"] = "00:00:00.500",
            ["Http:Port"] = "0",
            ["LeaderElection:LeaseNamespace"] = Namespace,
            ["LeaderElection:Identity"] = $"e2e-{lab.Name}-{Guid.NewGuid():N}",
        }, services =>
        {
            services.AddSingleton(fixture.Api.CreateClient());
            services.AddLogging(logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider()).SetMinimumLevel(LogLevel.Information));
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        operators[zone] = host;
        var readiness = host.Services.GetRequiredService<ReadinessSignals>();
        await Eventually.TrueAsync(() => readiness.IsReady, $"the operator of {lab.Name} ready", Patience);
    }

    public async Task StopOperatorAsync(int zone = 1)
    {
        if (operators.Remove(zone, out var host))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }
    }

    /// <summary>Controller_Event rows of a zone whose event_info names <paramref name="vip"/>.</summary>
    public async Task<int> RowsAsync(LabService service, string? vip = null)
    {
        var rows = await Lab.Zones[service.Zone - 1].SbctlAsync(["--bare", "--columns=event_info", "list", "Controller_Event"], TestContext.Current.CancellationToken);
        var address = (vip ?? service.Vip).TrimStart('[').Split(']')[0];
        return rows.Split('\n').Count(line => line.Contains(address, StringComparison.Ordinal));
    }

    /// <summary>Scale-subresource writes the API accepted for the Deployment since the first operator started (the idling before is not counted).</summary>
    public int ScaleWrites(string name) =>
        fixture.Api.Requests.Where(request => request.Namespace == Namespace && request.Name == name && request.Subresource == "scale"
            && request.Verb is "update" or "patch" && request.StatusCode is >= 200 and < 300 && request.Time >= operatorsSince).Count;

    public async Task<int> ReplicasAsync(string name) =>
        (await Client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace, cancellationToken: TestContext.Current.CancellationToken)).Spec.Replicas ?? 0;

    public async ValueTask DisposeAsync()
    {
        foreach (var zone in operators.Keys.ToList())
        {
            await StopOperatorAsync(zone);
        }

        foreach (var name in workloads)
        {
            await Client.AppsV1.DeleteNamespacedDeploymentAsync(name, Namespace);
        }

        foreach (var client in clients)
        {
            await Lab.RemovePodAsync(client, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => Lab.Pods.All(pod => !pod.LogicalPort.StartsWith(Namespace + "_", StringComparison.Ordinal)),
            $"the pods of {Namespace} removed", Patience);
        foreach (var zone in Lab.Zones)
        {
            await zone.SbctlAsync(["--all", "destroy", "Controller_Event"], CancellationToken.None);
        }
    }
}
