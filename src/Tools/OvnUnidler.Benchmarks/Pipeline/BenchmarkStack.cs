using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Benchmarks.Pipeline;

/// <summary>
/// What the operator benchmarks run against: a real Southbound and Northbound (ovsdb-server) and
/// the Kubernetes API double (pods ready at once, so the figures are the operator's own), with
/// a kubeconfig for the operator process.
/// </summary>
public sealed class BenchmarkStack : IAsyncDisposable
{
    // Ten Services per namespace: the API double's simulated controller-manager re-derives the
    // EndpointSlices of every Service in a namespace on each scale, under its store lock, which
    // with thousands of Services in one namespace would be the double's cost, not the operator's.
    private const int ServicesPerNamespace = 10;

    private BenchmarkStack(LabDirectory directory, OvsdbServer southbound, OvsdbServer northbound, KubernetesApiDouble api, OvsdbClient client, string kubeconfig)
    {
        Directory = directory;
        Southbound = southbound;
        Northbound = northbound;
        Api = api;
        SouthboundClient = client;
        Kubeconfig = kubeconfig;
        Kubernetes = api.CreateClient();
    }

    public LabDirectory Directory { get; }

    public OvsdbServer Southbound { get; }

    public OvsdbServer Northbound { get; }

    public KubernetesApiDouble Api { get; }

    public IKubernetes Kubernetes { get; }

    /// <summary>The benchmark's own connection to the Southbound, to load rows.</summary>
    public OvsdbClient SouthboundClient { get; }

    public string Kubeconfig { get; }

    public static Task<BenchmarkStack> StartAsync(CancellationToken cancellationToken) => StartAsync(recordRequestBodies: false, cancellationToken);

    public static async Task<BenchmarkStack> StartAsync(bool recordRequestBodies, CancellationToken cancellationToken)
    {
        var directory = LabDirectory.Create("benchpipe");
        var southbound = await OvsdbServer.StartAsync(new OvsdbServerOptions { Directory = directory.Path, Name = "sb" }, cancellationToken).ConfigureAwait(false);
        var northbound = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = directory.Path, Name = "nb", SchemaPath = OvnSchemas.Northbound }, cancellationToken).ConfigureAwait(false);
        var api = await KubernetesApiDouble.StartAsync(
            new KubernetesApiDoubleOptions { ReadyDelay = TimeSpan.Zero, RecordRequestBodies = recordRequestBodies, WatchCacheWindow = 200_000 }, cancellationToken).ConfigureAwait(false);
        var client = new OvsdbClient(new OvsdbClientOptions { Remote = southbound.UnixRemote });
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        var kubeconfig = directory.Combine("kubeconfig.yaml");
        await File.WriteAllTextAsync(kubeconfig, api.Kubeconfig, cancellationToken).ConfigureAwait(false);
        return new BenchmarkStack(directory, southbound, northbound, api, client, kubeconfig);
    }

    /// <summary>The environment of an operator process against this stack (per zone: no election).</summary>
    public Dictionary<string, string> OperatorEnvironment(int wakeConcurrency = 64) => new()
    {
        ["Unidler__Mode"] = "PerZone",
        ["Unidler__WakeConcurrency"] = wakeConcurrency.ToString(CultureInfo.InvariantCulture),
        ["Southbound__Remote"] = Southbound.UnixRemote,
        ["Northbound__Remote"] = Northbound.UnixRemote,
        ["Kubernetes__Kubeconfig"] = Kubeconfig,
        ["LeaderElection__LeaseNamespace"] = "default",
        // Logging costs the operator time: only warnings, unless --operator-log asks for its Information lines.
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public static string NamespaceOf(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-{index / ServicesPerNamespace}");

    public static string ServiceName(int index) => string.Create(CultureInfo.InvariantCulture, $"svc-{index}");

    public static string ClusterIp(int index) => string.Create(CultureInfo.InvariantCulture, $"10.96.{index / 250}.{(index % 250) + 1}");

    public static string Vip(int index) => $"{ClusterIp(index)}:80";

    /// <summary>Services svc-0..N-1; idled ones are backed by a Deployment at 0 with the OpenShift idle record.</summary>
    public async Task CreateServicesAsync(int count, bool idled, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, (count + ServicesPerNamespace - 1) / ServicesPerNamespace),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (group, token) => await Kubernetes.CoreV1.CreateNamespaceAsync(
                new V1Namespace { Metadata = new V1ObjectMeta { Name = NamespaceOf(group * ServicesPerNamespace) } }, cancellationToken: token).ConfigureAwait(false))
            .ConfigureAwait(false);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (index, token) => await CreateServiceAsync(index, idled, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Successful scale writes so far (one per woken Service).</summary>
    public int ScaleWrites() => Api.Requests.Count(verb: "update", resource: "deployments", subresource: "scale", statusCode: 200);

    public async Task<int> CountRowsAsync(CancellationToken cancellationToken)
    {
        var result = await SouthboundClient.TransactAsync(OvnTables.Southbound,
            [OvsdbOperation.Select(OvnTables.ControllerEvent, [], ["_uuid"])], cancellationToken).ConfigureAwait(false);
        return result[0].Rows?.GetArrayLength() ?? 0;
    }

    /// <summary>Chassis rows chassis-0..N-1 (each with its own encapsulation IP), returning their uuids.</summary>
    public async Task<IReadOnlyList<Guid>> AddChassisAsync(int count, CancellationToken cancellationToken)
    {
        var uuids = new List<Guid>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(250))
        {
            var operations = chunk.SelectMany(index => new[]
            {
                OvsdbOperation.Insert("Encap", new JsonObject
                {
                    ["type"] = "geneve",
                    ["ip"] = string.Create(CultureInfo.InvariantCulture, $"172.16.{index / 250}.{(index % 250) + 1}"),
                    ["chassis_name"] = string.Create(CultureInfo.InvariantCulture, $"chassis-{index}"),
                }, string.Create(CultureInfo.InvariantCulture, $"e{index}")),
                OvsdbOperation.Insert("Chassis", new JsonObject
                {
                    ["name"] = string.Create(CultureInfo.InvariantCulture, $"chassis-{index}"),
                    ["hostname"] = string.Create(CultureInfo.InvariantCulture, $"node-{index}"),
                    ["encaps"] = OvsdbWire.NamedUuid(string.Create(CultureInfo.InvariantCulture, $"e{index}")),
                }),
            }).ToList();
            var results = await SouthboundClient.TransactAsync(OvnTables.Southbound, operations, cancellationToken).ConfigureAwait(false);
            uuids.AddRange(results.Where((_, i) => i % 2 == 1).Select(result => result.Uuid!.Value));
        }

        return uuids;
    }

    /// <summary>empty_lb_backends rows as ovn-controller writes them, in batches of 10,000.</summary>
    public async Task InsertEventsAsync(IEnumerable<(string Vip, Guid? Chassis, long SeqNum)> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(10_000))
        {
            await SouthboundClient.TransactAsync(OvnTables.Southbound, [.. chunk.Select(row => OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject
            {
                ["event_type"] = ControllerEventRow.EmptyLbBackends,
                ["seq_num"] = row.SeqNum,
                ["chassis"] = row.Chassis is { } chassis ? OvsdbWire.Uuid(chassis) : OvsdbWire.EmptySet(),
                ["event_info"] = OvsdbWire.Map([new("vip", row.Vip), new("protocol", "tcp")]),
            }))], cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await SouthboundClient.DisposeAsync().ConfigureAwait(false);
        Kubernetes.Dispose();
        await Api.DisposeAsync().ConfigureAwait(false);
        await Southbound.DisposeAsync().ConfigureAwait(false);
        await Northbound.DisposeAsync().ConfigureAwait(false);
        Directory.Dispose();
    }

    private async Task CreateServiceAsync(int index, bool idled, CancellationToken cancellationToken)
    {
        var name = ServiceName(index);
        var ns = NamespaceOf(index);
        var labels = new Dictionary<string, string> { ["app"] = name };
        if (idled)
        {
            await Kubernetes.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = labels },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 0,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
                    },
                },
            }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await Kubernetes.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = idled
                    ? new Dictionary<string, string>
                    {
                        ["idling.alpha.openshift.io/idled-at"] = "2026-11-20T10:00:00Z",
                        ["idling.alpha.openshift.io/unidle-targets"] = $$"""[{"kind":"Deployment","name":"{{name}}","group":"apps","replicas":1}]""",
                    }
                    : null,
            },
            Spec = new V1ServiceSpec
            {
                ClusterIP = ClusterIp(index),
                ClusterIPs = [ClusterIp(index)],
                Selector = labels,
                Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = 8080 }],
            },
        }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
