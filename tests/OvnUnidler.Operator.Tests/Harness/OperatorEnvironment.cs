using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// Real OVN Southbound and Northbound ovsdb-servers and the Kubernetes API double, for running
/// operator instances in-process against them.
/// </summary>
public sealed class OperatorEnvironment : IAsyncDisposable
{
    private readonly LabDirectory directory;
    private readonly List<RunningOperator> operators = [];
    private readonly List<OvsdbServer> zoneSouthbounds = [];

    private OperatorEnvironment(LabDirectory directory, OvsdbServer southbound, OvsdbServer northbound, KubernetesApiDouble api)
    {
        this.directory = directory;
        SouthboundServer = southbound;
        NorthboundServer = northbound;
        Api = api;
        Client = api.CreateClient();
        Southbound = new SouthboundRows(southbound);
        Northbound = new NorthboundRows(northbound);
        Workloads = new IdledWorkloads(Client);
    }

    public OvsdbServer SouthboundServer { get; }

    public OvsdbServer NorthboundServer { get; }

    public KubernetesApiDouble Api { get; }

    public IKubernetes Client { get; }

    public SouthboundRows Southbound { get; }

    public NorthboundRows Northbound { get; }

    public IdledWorkloads Workloads { get; }

    /// <param name="withCustomResourceDefinitions">
    /// False for a cluster where crds/ is not installed yet (a test installs it through the API later).
    /// </param>
    public static async Task<OperatorEnvironment> StartAsync(KubernetesApiDoubleOptions? apiOptions = null, bool withCustomResourceDefinitions = true)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var directory = LabDirectory.Create("optest");
        var southbound = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = directory.Path, Name = "sb", SchemaPath = OvnSchemas.Southbound, TcpPort = 0 }, cancellation);
        var northbound = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = directory.Path, Name = "nb", SchemaPath = OvnSchemas.Northbound }, cancellation);
        apiOptions ??= new KubernetesApiDoubleOptions();
        if (withCustomResourceDefinitions && apiOptions.CustomResourceDefinitions.Count == 0)
        {
            // The cluster the operator is deployed to has its CRDs (crds/, part of deploy/).
            apiOptions.CustomResourceDefinitions.Add(Repository.Combine("crds"));
        }

        var api = await KubernetesApiDouble.StartAsync(apiOptions, cancellation);
        return new OperatorEnvironment(directory, southbound, northbound, api);
    }

    /// <summary>Another Southbound, as each node has its own under OVN interconnect; stopped with the environment.</summary>
    public async Task<OvsdbServer> StartZoneSouthboundAsync(string name)
    {
        var server = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = directory.Path, Name = name, SchemaPath = OvnSchemas.Southbound },
            TestContext.Current.CancellationToken);
        zoneSouthbounds.Add(server);
        return server;
    }

    /// <summary>Another Northbound, for a second zone; stopped with the environment.</summary>
    public async Task<OvsdbServer> StartZoneNorthboundAsync(string name)
    {
        var server = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = directory.Path, Name = name, SchemaPath = OvnSchemas.Northbound },
            TestContext.Current.CancellationToken);
        zoneSouthbounds.Add(server);
        return server;
    }

    /// <summary>Successful writes of a Deployment's scale subresource.</summary>
    public int DeploymentScaleWrites(string ns, string name) =>
        Api.Requests.Count(verb: "update", resource: "deployments", subresource: "scale", @namespace: ns, name: name, statusCode: 200)
        + Api.Requests.Count(verb: "patch", resource: "deployments", subresource: "scale", @namespace: ns, name: name, statusCode: 200);

    public async Task CreateNamespaceAsync(string name)
    {
        await Client.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// The environment of an operator process (<see cref="OvnUnidler.Lab.Cluster.OperatorProcess"/>) on this
    /// environment's databases, reaching the API through <paramref name="kubeconfig"/>, its Leases in default;
    /// a test adds or overrides its own keys.
    /// </summary>
    public Dictionary<string, string> ProcessSettings(string kubeconfig, string mode = "PerZone") => new()
    {
        ["Unidler__Mode"] = mode,
        ["Southbound__Remote"] = SouthboundServer.UnixRemote,
        ["Northbound__Remote"] = NorthboundServer.UnixRemote,
        ["Kubernetes__Kubeconfig"] = kubeconfig,
        ["LeaderElection__LeaseNamespace"] = "default",
    };

    /// <summary>
    /// Starts an operator instance; per-zone by default (no leader election), as cluster-admin
    /// unless <paramref name="token"/> names another identity (a service account's token).
    /// </summary>
    public async Task<RunningOperator> StartOperatorAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        OvsdbServer? southbound = null,
        OvsdbServer? northbound = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null,
        RecordingLoggerProvider? logs = null,
        string? token = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Unidler:Mode"] = "PerZone",
            ["Unidler:BackendsTimeout"] = "00:00:10",
            ["Unidler:WakeRetryInitialBackoff"] = "00:00:00.050",
            ["Unidler:WakeRetryMaxBackoff"] = "00:00:01",
            ["Southbound:Remote"] = (southbound ?? SouthboundServer).UnixRemote,
            ["Northbound:Remote"] = (northbound ?? NorthboundServer).UnixRemote,
            ["Http:Port"] = "0",
            ["LeaderElection:LeaseNamespace"] = "default",
            ["LeaderElection:Identity"] = $"operator-{Guid.NewGuid():N}",
            ["LeaderElection:LeaseDuration"] = "00:00:04",
            ["LeaderElection:RenewDeadline"] = "00:00:02",
            ["LeaderElection:RetryPeriod"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var instance = await RunningOperator.StartAsync(configuration, Api.CreateClient(token ?? Api.AdminToken), logs, configure);
        operators.Add(instance);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in operators)
        {
            await instance.DisposeAsync();
        }

        await Api.DisposeAsync();
        foreach (var server in zoneSouthbounds)
        {
            await server.DisposeAsync();
        }

        await SouthboundServer.DisposeAsync();
        await NorthboundServer.DisposeAsync();
        directory.Dispose();
    }
}
