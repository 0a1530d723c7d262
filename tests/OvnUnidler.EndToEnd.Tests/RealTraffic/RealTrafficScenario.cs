using System.Globalization;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Kubelet;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Services;
using OvnUnidler.Lab.Traffic;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

/// <summary>
/// One test's part of the shared real-traffic lab: its namespace, its Services, client pods and
/// operator instances (one per zone, per-zone mode writing backends; in this process, or as their
/// own process in an operator pod). Dispose stops the operators, removes their pods, deletes the
/// workloads (the kubelet removes their pods), the client pods, its direct Services and load
/// balancers, and the rows left in the zones.
/// </summary>
public sealed class RealTrafficScenario : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Where <see cref="DirectServiceAsync"/> makes its Services: a namespace no operator of a scenario watches.</summary>
    public const string DirectNamespace = "default";

    /// <summary>Connections held during a wake (issue 16): the setting an operator pod of a holding test starts with.</summary>
    public static readonly IReadOnlyDictionary<string, string> Holding = new Dictionary<string, string>(StringComparer.Ordinal) { ["Unidler:HoldConnections"] = "true" };

    /// <summary><see cref="Holding"/> and <paramref name="settings"/> (e.g. a bound, a deadline).</summary>
    public static Dictionary<string, string> HoldingWith(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>(Holding, StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    private readonly RealTrafficFixture fixture;
    private readonly Dictionary<int, IHost> operators = [];
    private readonly List<LabPod> clients = [];
    private readonly List<string> workloads = [];
    private readonly List<LabService> idledServices = [];
    private readonly List<LabOperator> operatorPods = [];
    private readonly Dictionary<LabOperator, Dictionary<string, string>> operatorSettings = [];
    private readonly List<string> directServices = [];
    private readonly List<(int Zone, string LoadBalancer)> directLoadBalancers = [];
    private readonly List<TableWatch> watches = [];
    private DateTimeOffset? operatorsSince;
    private LabServicesController? servicesController;

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
    /// A Deployment of one pod server (on <paramref name="node"/>) behind a Service, idled, with its
    /// event-raising load balancer in each of <paramref name="zones"/>. The pods a wake starts take
    /// <paramref name="startDelay"/> to listen; the one before the idling starts at once. TCP pods
    /// serve HTTP on <paramref name="httpPort"/> (default PodPrograms.HttpPort), the Service's targetPort.
    /// </summary>
    public async Task<IReadOnlyList<LabService>> CreateIdledServiceAsync(
        string name, int port, string protocol = "TCP", TimeSpan? startDelay = null, string node = "node2", bool ipv6 = false,
        int[]? zones = null, bool withOwner = true, IReadOnlyList<string>? extraVips = null, int? nodePort = null, int? httpPort = null)
    {
        var services = await fixture.Cluster.CreateIdledServiceAsync(
            Namespace, name, port, protocol, startDelay ?? TimeSpan.Zero, "e2e", node, ipv6, zones, withOwner, extraVips, nodePort, Patience,
            httpPort, TestContext.Current.CancellationToken);
        workloads.Add(name);
        idledServices.AddRange(services);
        return services;
    }

    /// <summary>The pods of <paramref name="workload"/> (in this scenario's namespace) the lab kubelet has seen ready so far.</summary>
    public IReadOnlyList<LabPodReadiness> ReadyPods(string workload) =>
        [.. fixture.Cluster.Kubelet.Ready.Values.Where(pod => pod.Namespace == Namespace && pod.Name.StartsWith(workload + "-", StringComparison.Ordinal))];

    public async Task<LabPod> ClientAsync(string node = "node1")
    {
        var pod = await Lab.AddPodAsync(Lab.Nodes.Single(candidate => candidate.Name == node), $"{Namespace}_client-{clients.Count}", TestContext.Current.CancellationToken);
        clients.Add(pod);
        return pod;
    }

    /// <summary>The lab's stand-in for ovn-kubernetes' services controller, once <see cref="StartServicesControllerAsync"/> started it.</summary>
    public LabServicesController ServicesController => servicesController ?? throw new InvalidOperationException("no services controller started");

    /// <summary>
    /// Plays ovn-kubernetes' part for mode observe: the lab services controller writes the load
    /// balancers of this namespace's Services in <paramref name="zones"/> (default zone 1) from their
    /// EndpointSlices, taking over by name those <see cref="CreateIdledServiceAsync"/> made. Returns
    /// once each such load balancer has been written by it.
    /// </summary>
    public async Task<LabServicesController> StartServicesControllerAsync(params int[] zones)
    {
        var cancellation = TestContext.Current.CancellationToken;
        servicesController = await LabServicesController.StartAsync(
            Client, Lab, new LabServicesControllerOptions { Namespaces = [Namespace], Zones = zones.Length == 0 ? [1] : zones }, cancellationToken: cancellation)
            .Within(Deadline.Long);
        var controller = servicesController;
        foreach (var service in idledServices.Where(service => zones.Length == 0 ? service.Zone == 1 : zones.Contains(service.Zone)))
        {
            var protocol = service.Protocol == "UDP" ? LabProtocol.Udp : LabProtocol.Tcp;
            await Eventually.TrueAsync(
                () => controller.LoadBalancerOf(service.Zone, Namespace, service.Name, protocol) == service.LoadBalancer,
                $"the services controller writing {service.Name}'s load balancer in zone {service.Zone}", Patience);
        }

        return controller;
    }

    /// <summary>The holder EndpointSlices (managed by holder.unidler.ovn.org) of this namespace, by name.</summary>
    public async Task<IReadOnlyList<string>> HolderSlicesAsync()
    {
        var slices = await Client.DiscoveryV1.ListNamespacedEndpointSliceAsync(
            Namespace, labelSelector: "endpointslice.kubernetes.io/managed-by=holder.unidler.ovn.org", cancellationToken: TestContext.Current.CancellationToken);
        return [.. slices.Items.Select(slice => slice.Metadata.Name)];
    }

    /// <summary>An operator instance for <paramref name="zone"/>, in this process (its logs go to the test's output).</summary>
    public async Task StartOperatorAsync(int zone = 1)
    {
        operatorsSince ??= DateTimeOffset.UtcNow;
        var lab = Lab.Zones[zone - 1];
        var configuration = OperatorConfiguration(zone);
        configuration["Http:Port"] = "0";
        var host = UnidlerHost.Build([], configuration.Select(entry => KeyValuePair.Create(entry.Key, (string?)entry.Value)), services =>
        {
            services.AddSingleton(fixture.Api.CreateClient());
            services.AddLogging(logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider()).SetMinimumLevel(LogLevel.Information));
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        operators[zone] = host;
        var readiness = host.Services.GetRequiredService<ReadinessSignals>();
        await Eventually.TrueAsync(() => readiness.IsReady, $"the operator of {lab.Name} ready", Patience);
    }

    /// <summary>
    /// An operator instance for <paramref name="zone"/> as a cluster runs it: the ovn-unidler process
    /// in an operator pod on <paramref name="node"/> (its own address on the node switch, POD_IP set
    /// to it, the API double over the lab's host link, the OVN databases over their unix sockets).
    /// <paramref name="settings"/> add to or override the configuration the in-process instance gets.
    /// Returns once its /readyz answers.
    /// </summary>
    public async Task<LabOperator> StartOperatorPodAsync(int zone = 1, string node = "node2", IReadOnlyDictionary<string, string>? settings = null)
    {
        operatorsSince ??= DateTimeOffset.UtcNow;
        var pod = await Lab.AddOperatorPodAsync(
            Lab.Nodes.Single(candidate => candidate.Name == node), $"{Namespace}_ovn-unidler-{operatorPods.Count}", TestContext.Current.CancellationToken);
        var configuration = OperatorConfiguration(zone);
        configuration["Kubernetes:Kubeconfig"] = fixture.OperatorKubeconfig;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }

        return await RunOperatorAsync(pod, configuration);
    }

    /// <summary>
    /// SIGKILL to the operator in its pod (a crash, an OOM kill: nothing it published is withdrawn),
    /// then, as the kubelet restarts a container, a new process in the same pod (same address, same
    /// configuration, except <paramref name="settings"/>: a release or a configuration changed by
    /// the restart). Returns the new instance once its /readyz answers.
    /// </summary>
    public async Task<LabOperator> KillAndRestartOperatorPodAsync(LabOperator instance, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        instance.Kill();
        await instance.Process.WaitForExitAsync(TestContext.Current.CancellationToken).Within(Deadline.Long);
        var configuration = new Dictionary<string, string>(operatorSettings[instance], StringComparer.Ordinal);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }

        return await RunOperatorAsync(instance.Pod, configuration);
    }

    /// <summary>
    /// Every change of the zone's Load_Balancer vips from now on (ovsdb-client monitor): a backend
    /// that stood for milliseconds is seen too. Stopped when the scenario ends.
    /// </summary>
    public Task<TableWatch> WatchVipsAsync(int zone) => WatchAsync(Lab.Zones[zone - 1].NorthboundRemote, "OVN_Northbound", "Load_Balancer", "vips");

    /// <summary>
    /// Every Controller_Event row of the zone as it stands now and every insert and delete from now
    /// on. ovsdb-client prints nothing for an empty table, so start it while a row stands.
    /// </summary>
    public Task<TableWatch> WatchRowsAsync(int zone) => WatchAsync(Lab.Zones[zone - 1].SouthboundRemote, "OVN_Southbound", "Controller_Event", "event_info");

    /// <summary>Rows a <see cref="WatchRowsAsync"/> saw inserted after it started, for <paramref name="service"/>'s VIP.</summary>
    public static int InsertedRows(TableWatch rows, LabService service)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(service);
        var address = service.Vip.TrimStart('[').Split(']')[0];
        return rows.Lines.Count(line => line.Contains(" insert ", StringComparison.Ordinal) && line.Contains(address, StringComparison.Ordinal));
    }

    private async Task<TableWatch> WatchAsync(string remote, string database, string table, string columns)
    {
        var watch = await TableWatch.StartAsync(remote, database, table, columns, TestContext.Current.CancellationToken);
        watches.Add(watch);
        return watch;
    }

    /// <summary>The backends of <paramref name="service"/>'s VIP in its zone's Northbound, as written there ("" when none).</summary>
    public Task<string> BackendsAsync(LabService service) =>
        TrafficLab.GetBackendsAsync(Lab.Zones[service.Zone - 1], service.LoadBalancer, service.Vip, TestContext.Current.CancellationToken);

    /// <summary>Whether <paramref name="service"/>'s load balancer raises events for VIPs without backends (options:event=true).</summary>
    public Task<bool> RaisesEventsAsync(LabService service) =>
        TrafficLab.RaisesEventsAsync(Lab.Zones[service.Zone - 1], service.LoadBalancer, TestContext.Current.CancellationToken);

    private async Task<LabOperator> RunOperatorAsync(LabOperatorPod pod, Dictionary<string, string> configuration)
    {
        var instance = LabOperator.Start(pod, configuration);
        operatorPods.Add(instance);
        operatorSettings[instance] = configuration;
        instance.Process.Line += line => WriteOutput($"operator {pod.PodIp}: {line}");
        instance.Process.ErrorLine += line => WriteOutput($"operator {pod.PodIp} stderr: {line}");
        await instance.WaitUntilReadyAsync(Patience, TestContext.Current.CancellationToken);
        return instance;
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

    /// <summary>
    /// A Service VIP in <paramref name="zone"/> whose backend is <paramref name="backend"/> (e.g. an
    /// operator pod's address and port), on a load balancer without owner or event, for a Service in
    /// the lab's "default" namespace that no operator of this scenario watches, so no backends
    /// reconciler touches it. The double allocates the VIP, so it is unique in the lab.
    /// </summary>
    public async Task<LabService> DirectServiceAsync(string name, int port, string protocol, IPEndPoint backend, int zone = 1)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var serviceName = $"{Namespace}-{name}";
        var service = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = serviceName },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "main", Port = port, Protocol = protocol, TargetPort = backend.Port }] },
        }, DirectNamespace, cancellationToken: cancellation);
        directServices.Add(serviceName);
        var labService = new LabService(DirectNamespace, serviceName, service.Spec.ClusterIP, port, protocol, 1, zone, "");
        var loadBalancer = await Lab.AddLoadBalancerAsync(Lab.Zones[zone - 1], new LabLoadBalancerSpec
        {
            Name = $"Direct_{serviceName}_{protocol}",
            Vips = [labService.Vip],
            Protocol = protocol == "UDP" ? LabProtocol.Udp : LabProtocol.Tcp,
            Event = false,
        }, cancellation);
        directLoadBalancers.Add((zone, loadBalancer));
        await TrafficLab.SetBackendsAsync(Lab.Zones[zone - 1], loadBalancer, labService.Vip, [backend.ToString()], cancellation);
        await Lab.Zones[zone - 1].WaitForHypervisorSyncAsync(cancellation);
        return labService with { LoadBalancer = loadBalancer };
    }

    /// <summary>The configuration every operator instance of the scenario gets (per zone, writing backends, this namespace only).</summary>
    private Dictionary<string, string> OperatorConfiguration(int zone)
    {
        var lab = Lab.Zones[zone - 1];
        return new Dictionary<string, string>(StringComparer.Ordinal)
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
            ["LeaderElection:LeaseNamespace"] = Namespace,
            ["LeaderElection:Identity"] = $"e2e-{lab.Name}-{Guid.NewGuid():N}",
        };
    }

    private static void WriteOutput(string line)
    {
        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }

    /// <summary>
    /// The value of one series (name and labels exactly as exposed, e.g.
    /// ovn_unidler_hold_resets_total{protocol="tcp",reason="service_limit"}) in the /metrics of an
    /// operator in its pod, read over the host link; 0 when the series is not exposed (yet).
    /// </summary>
    public static async Task<double> MetricAsync(LabOperator instance, string series)
    {
        ArgumentNullException.ThrowIfNull(instance);
        using var http = new HttpClient { Timeout = Deadline.Long };
        var text = await http.GetStringAsync(new Uri(instance.HttpBase, "metrics"), TestContext.Current.CancellationToken);
        var line = text.Split('\n').FirstOrDefault(candidate => candidate.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
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
        foreach (var watch in watches)
        {
            await watch.DisposeAsync();
        }

        foreach (var zone in operators.Keys.ToList())
        {
            await StopOperatorAsync(zone);
        }

        foreach (var instance in operatorPods)
        {
            await instance.DisposeAsync();
        }

        foreach (var pod in operatorPods.Select(instance => instance.Pod).Distinct())
        {
            await Lab.RemovePodAsync(pod.Pod, CancellationToken.None);
        }

        if (servicesController is not null)
        {
            // It deletes the load balancers it wrote, those it took over included.
            await servicesController.DisposeAsync();
        }

        foreach (var (zone, loadBalancer) in directLoadBalancers)
        {
            await Lab.Zones[zone - 1].NbctlAsync(["--if-exists", "lb-del", loadBalancer], CancellationToken.None);
        }

        foreach (var name in directServices)
        {
            await Client.CoreV1.DeleteNamespacedServiceAsync(name, DirectNamespace);
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
