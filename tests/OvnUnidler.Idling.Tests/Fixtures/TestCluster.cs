using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Idling.Inspection;
using OvnUnidler.Idling.Scaling;
using OvnUnidler.Idling.Waking;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Testing.Workloads;

namespace OvnUnidler.Idling.Tests.Fixtures;

// One in-process Kubernetes API double per test, with the objects idling works on. The
// simulated controller-manager is off unless a test asks for it: most tests look at what idling
// and waking write, and its status writes would only add resourceVersion changes (which the code
// handles, see the race tests). Idling that finds its targets needs it: pods behind endpoints.
internal sealed class TestCluster : IAsyncDisposable
{
    public const string Namespace = "default";

    private TestCluster(KubernetesApiDouble api)
    {
        Api = api;
        Client = api.CreateClient();
    }

    public static DateTimeOffset Start { get; } = new(2025, 6, 7, 8, 9, 10, TimeSpan.Zero);

    public KubernetesApiDouble Api { get; }

    public IKubernetes Client { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public IdlingOptions Options { get; } = new() { DefaultRetryAfter = TimeSpan.FromSeconds(2), Instance = "test-node" };

    public bool RunsControllers => Api.ControllerManager.Enabled;

    public static async Task<TestCluster> StartAsync(CancellationToken cancellationToken, bool runControllers = false) =>
        new(await KubernetesApiDouble.StartAsync(
                new KubernetesApiDoubleOptions { EnableControllerManager = runControllers, ReadyDelay = TimeSpan.FromMilliseconds(50) }, cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), cancellationToken));

    // A waker with its own client, as a separate operator instance would have.
    public ServiceWaker Waker(TimeProvider? time = null, IdlingOptions? options = null) =>
        new(Api.CreateClient(), time ?? Time, options: options ?? Options);

    public ServiceIdler Idler() => new(Api.CreateClient(), Time, options: Options);

    public IdleStatusReader Reader() => new(Api.CreateClient(), Time, Options);

    public async Task CreateServiceAsync(string name, string app, IDictionary<string, string>? annotations = null)
    {
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = name, Annotations = annotations },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = app },
                Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP" }],
            },
        };
        await Client.CoreV1.CreateNamespacedServiceAsync(service, Namespace).WaitAsync(Deadline);
    }

    public async Task CreateAsync(ScalableKind kind, string name, string app, int replicas, IDictionary<string, string>? annotations = null)
    {
        var metadata = new V1ObjectMeta { Name = name, Annotations = annotations };
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } };
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app, ["tier"] = "backend" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
        };
        Task created = kind.Kind switch
        {
            "Deployment" => Client.AppsV1.CreateNamespacedDeploymentAsync(
                new V1Deployment { ApiVersion = "apps/v1", Kind = "Deployment", Metadata = metadata, Spec = new V1DeploymentSpec { Replicas = replicas, Selector = selector, Template = template } }, Namespace),
            "StatefulSet" => Client.AppsV1.CreateNamespacedStatefulSetAsync(
                new V1StatefulSet { ApiVersion = "apps/v1", Kind = "StatefulSet", Metadata = metadata, Spec = new V1StatefulSetSpec { Replicas = replicas, ServiceName = name, Selector = selector, Template = template } }, Namespace),
            "ReplicaSet" => Client.AppsV1.CreateNamespacedReplicaSetAsync(
                new V1ReplicaSet { ApiVersion = "apps/v1", Kind = "ReplicaSet", Metadata = metadata, Spec = new V1ReplicaSetSpec { Replicas = replicas, Selector = selector, Template = template } }, Namespace),
            "ReplicationController" => Client.CoreV1.CreateNamespacedReplicationControllerAsync(
                new V1ReplicationController { ApiVersion = "v1", Kind = "ReplicationController", Metadata = metadata, Spec = new V1ReplicationControllerSpec { Replicas = replicas, Selector = new Dictionary<string, string> { ["app"] = app }, Template = template } }, Namespace),
            "DeploymentConfig" => Client.CustomObjects.CreateNamespacedCustomObjectAsync(DeploymentConfig(name, app, replicas, annotations), kind.Group, "v1", Namespace, "deploymentconfigs"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await created.WaitAsync(Deadline);
    }

    public async Task<int> ReplicasAsync(ScalableKind kind, string name) =>
        (await new WorkloadClient(Client, Time).ReadScaleAsync(kind, Namespace, name, CancellationToken.None).WaitAsync(Deadline)).Replicas;

    public async Task SetReplicasAsync(ScalableKind kind, string name, int replicas)
    {
        var workloads = new WorkloadClient(Client, Time);
        var scale = await workloads.ReadScaleAsync(kind, Namespace, name, CancellationToken.None).WaitAsync(Deadline);
        await workloads.WriteScaleAsync(kind, Namespace, name, scale, replicas, CancellationToken.None).WaitAsync(Deadline);
    }

    // Waits until `count` pods serve the Service: ready endpoints in its EndpointSlices, as the
    // simulated controllers write them once the pods run.
    public Task WaitForServingPodsAsync(string service, int count) =>
        Eventually.TrueAsync(
            async () => (await Client.DiscoveryV1.ListNamespacedEndpointSliceAsync(Namespace, labelSelector: $"kubernetes.io/service-name={service}").WaitAsync(Deadline))
                .Items.SelectMany(slice => slice.Endpoints ?? []).Count(endpoint => endpoint.Conditions?.Ready != false) == count,
            $"{count} pods serving Service {service}");

    // A CRD like Argo Rollouts' with a scale subresource (or without), and resources of it whose
    // status the test writes, as no simulated controller runs them.
    public Task CreateScalableDefinitionAsync(string group, string kind, string plural, bool withScale = true) =>
        ScalableCustomResources.CreateDefinitionAsync(Client, group, kind, plural, withScale).WaitAsync(Deadline);

    public Task<JsonElement> CreateCustomAsync(string group, string kind, string plural, string name, int replicas, string app) =>
        ScalableCustomResources.CreateAsync(Client, Namespace, group, kind, plural, name, replicas, app).WaitAsync(Deadline);

    public Task<int?> CustomReplicasAsync(string group, string plural, string name) =>
        ScalableCustomResources.ReplicasAsync(Client, Namespace, group, plural, name).WaitAsync(Deadline);

    public async Task<IDictionary<string, string>> ServiceAnnotationsAsync(string name) =>
        (await Client.CoreV1.ReadNamespacedServiceAsync(name, Namespace).WaitAsync(Deadline)).Metadata.Annotations ?? new Dictionary<string, string>();

    public async Task<IDictionary<string, string>> AnnotationsAsync(ScalableKind kind, string name)
    {
        IDictionary<string, string>? annotations = kind.Kind switch
        {
            "DeploymentConfig" => KubernetesJson.Deserialize<V1ObjectMeta>(
                (await Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(kind.Group, "v1", Namespace, "deploymentconfigs", name).WaitAsync(Deadline)).GetProperty("metadata")).Annotations,
            "ReplicationController" => (await Client.CoreV1.ReadNamespacedReplicationControllerAsync(name, Namespace).WaitAsync(Deadline)).Metadata.Annotations,
            "Deployment" => (await Client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace).WaitAsync(Deadline)).Metadata.Annotations,
            "StatefulSet" => (await Client.AppsV1.ReadNamespacedStatefulSetAsync(name, Namespace).WaitAsync(Deadline)).Metadata.Annotations,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return annotations ?? new Dictionary<string, string>();
    }

    public async Task<IList<Corev1Event>> EventsAsync() =>
        (await Client.CoreV1.ListNamespacedEventAsync(Namespace).WaitAsync(Deadline)).Items;

    // Successful PUTs of a scale subresource: each one is a scale change the API server accepted.
    public int AcceptedScaleWrites(string resource, string? name = null) =>
        Api.Requests.Count(verb: "update", resource: resource, subresource: "scale", name: name, statusCode: 200);

    public int Writes() => Api.Requests.Where(request => request.Verb is "create" or "update" or "patch" or "delete").Count;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
    }

    private static TimeSpan Deadline => TimeSpan.FromSeconds(15);

    private static JsonObject DeploymentConfig(string name, string app, int replicas, IDictionary<string, string>? annotations)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject(annotations.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps.openshift.io/v1",
            ["kind"] = "DeploymentConfig",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["app"] = app },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/app:1" }) },
                },
            },
        };
    }
}
