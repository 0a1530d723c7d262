using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Entities;
using OvnUnidler.Manifests;
using OvnUnidler.Operator.Tests.Harness;
using OvnUnidler.Testing.Deployment;
using OvnUnidler.Testing.Workloads;

namespace OvnUnidler.Operator.Tests.Hosting;

/// <summary>
/// The operator runs as its service account with the roles of each deploy/ variant, rendered by
/// real kustomize and installed into the API double, which authorizes every request by them.
/// It wakes every built-in kind it can scale, a custom /scale kind granted the documented way
/// (a ClusterRole aggregated into ovn-unidler-scale-targets), a Service idled by an older oc
/// (idled-at only, previous-scale on the DeploymentConfig; its Endpoints annotated too), and
/// idles through Idlers Services of a Deployment, a StatefulSet and a ReplicationController; the
/// double's journal must show no refused request and no rule it never needed.
/// </summary>
public sealed class RbacTests
{
    public static TheoryData<string> Variants => [.. DeployVariants.All.Select(variant => variant.Directory)];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task The_operator_wakes_and_idles_every_kind_with_the_variants_roles_and_uses_every_rule_it_is_granted(string directory)
    {
        var variant = DeployVariants.Named(directory);
        await using var environment = await OperatorEnvironment.StartAsync();
        var client = environment.Client;
        var cancellation = TestContext.Current.CancellationToken;
        await variant.InstallAccessAsync(client, cancellation);
        await GrantRolloutsAsync(client);
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await client.CoreV1.CreateNamespacedEndpointsAsync(new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "web", Annotations = (await environment.Workloads.AnnotationsAsync("shop", "web")).ToDictionary() },
        }, "shop", cancellationToken: cancellation);
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.11", 80, replicas: 1, idled: false);
        await CreateIdledAsync(client, "shop", "db", "10.96.0.12", new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec { Replicas = 0, Selector = Selector("db"), Template = Template("db"), ServiceName = "db" },
        }, "StatefulSet", "apps");
        await CreateIdledAsync(client, "shop", "cache", "10.96.0.13", new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "cache" },
            Spec = new V1ReplicaSetSpec { Replicas = 0, Selector = Selector("cache"), Template = Template("cache") },
        }, "ReplicaSet", "apps");
        await CreateIdledAsync(client, "shop", "legacy", "10.96.0.14", new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "legacy" },
            Spec = new V1ReplicationControllerSpec { Replicas = 0, Selector = new Dictionary<string, string> { ["app"] = "legacy" }, Template = Template("legacy") },
        }, "ReplicationController", null);
        // As an older oc idle leaves it without unidle-targets: idled-at, and previous-scale on the DeploymentConfig.
        await CreateIdledAsync(client, "shop", "classic", "10.96.0.15", DeploymentConfig("classic"), null, null);
        await ScalableCustomResources.CreateAsync(client, "shop", "argoproj.io", "Rollout", "rollouts", "canary", replicas: 0, app: "canary");
        await CreateIdledAsync(client, "shop", "canary", "10.96.0.16", null, "Rollout", "argoproj.io");
        await CreateRunningAsync(client, environment, "store", "10.96.0.17", new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "store" },
            Spec = new V1StatefulSetSpec { Replicas = 1, Selector = Selector("store"), Template = Template("store"), ServiceName = "store" },
        });
        await CreateRunningAsync(client, environment, "ledger", "10.96.0.18", new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "ledger" },
            Spec = new V1ReplicationControllerSpec { Replicas = 1, Selector = new Dictionary<string, string> { ["app"] = "ledger" }, Template = Template("ledger") },
        });
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("lb-web", ["10.96.0.10:80"]);
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?>
        {
            ["Unidler:Mode"] = variant.Mode,
            ["Unidler:Backends"] = "Write",
            ["Unidler:Namespaces:0"] = "shop",
            // LeaseNamespace defaults to the pod's namespace, where the variant's Role for Leases lives.
            ["LeaderElection:LeaseNamespace"] = variant.Namespace,
        }, token: environment.Api.IssueServiceAccountToken(variant.Namespace, variant.ServiceAccount));
        await unidler.WaitUntilReadyAsync();

        // One failed status write makes the controller requeue the Idler, which reads it again (get).
        environment.Api.Faults.Add(new OvnUnidler.KubernetesDouble.Faults.FaultRule { Verb = "patch", Resource = "idlers", Subresource = "status", StatusCode = 500, Times = 1 });
        foreach (var name in new[] { "api", "store", "ledger" })
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(new V1Alpha1Idler
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
                Spec = new V1Alpha1IdlerSpec { ServiceName = name, DesiredState = IdlerDesiredState.Idled },
            }, V1Alpha1Idler.Group, V1Alpha1Idler.Version, "shop", V1Alpha1Idler.Plural, cancellationToken: cancellation);
        }

        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "api") == 0, "api idled by its Idler");
        await Eventually.TrueAsync(
            async () => (await client.AppsV1.ReadNamespacedStatefulSetAsync("store", "shop", cancellationToken: cancellation)).Spec.Replicas == 0
                && (await client.CoreV1.ReadNamespacedReplicationControllerAsync("ledger", "shop", cancellationToken: cancellation)).Spec.Replicas == 0,
            "store and ledger idled by their Idlers");
        await environment.Southbound.InsertEventsAsync(
            new[] { "10.96.0.10:80", "10.96.0.11:80", "10.96.0.12:80", "10.96.0.13:80", "10.96.0.14:80", "10.96.0.15:80", "10.96.0.16:80" }
                .Select(vip => EventRow.For(vip, loadBalancer: vip == "10.96.0.10:80" ? loadBalancer : null)));
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "every row deleted");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))["10.96.0.10:80"].Length > 0, "backends written");
        var user = variant.OperatorUser.Name;
        await environment.Api.Requests.WaitForAsync(
            request => request.User?.Name == user && request.Verb == "get" && request.Resource == "idlers", TimeSpan.FromSeconds(20), cancellation);

        await HoldInModeObserveAsync(environment, variant, unidler);

        var audit = OperatorAccessAudit.Of(environment.Api, variant);

        Assert.True(audit.Refused.Count == 0 && audit.UnusedRules.Count == 0, $"{variant}: {audit.Describe()}");
        Assert.Contains(environment.Api.Requests.Snapshot(), request => request.User?.Name == user && request.Resource == "deploymentconfigs" && request.Subresource == "scale" && request.Verb == "update");
        Assert.Equal(1, await ScalableCustomResources.ReplicasAsync(client, "shop", "argoproj.io", "rollouts", "canary"));
        Assert.DoesNotContain(IdledWorkloads.UnidleTargets, (await client.CoreV1.ReadNamespacedEndpointsAsync("web", "shop", cancellationToken: cancellation)).Metadata.Annotations?.Keys ?? []);
    }

    // A restarted instance in mode observe, as its holder's previous process left a slice: it
    // removes that slice, then holds a woken Service through a slice of its own until the pods are ready.
    private static async Task HoldInModeObserveAsync(OperatorEnvironment environment, DeployVariant variant, RunningOperator first)
    {
        var client = environment.Client;
        var cancellation = TestContext.Current.CancellationToken;
        const string holderAddress = "10.244.9.5";
        await first.StopAsync();
        await environment.Workloads.CreateAsync("shop", "late", "10.96.0.19", 80, replicas: 1);
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromSeconds(2);
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                Name = "late-holder-left",
                Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "late", ["endpointslice.kubernetes.io/managed-by"] = "holder.unidler.ovn.org" },
                Annotations = new Dictionary<string, string> { ["unidler.ovn.org/holder"] = holderAddress },
            },
            AddressType = "IPv4",
            Endpoints = [new V1Endpoint { Addresses = [holderAddress] }],
        }, "shop", cancellationToken: cancellation);
        await using var observer = await environment.StartOperatorAsync(new Dictionary<string, string?>
        {
            ["Unidler:Mode"] = variant.Mode,
            ["Unidler:Backends"] = "Observe",
            ["Unidler:Namespaces:0"] = "shop",
            ["Unidler:HolderAddress"] = holderAddress,
            ["Unidler:HoldRenewal"] = "00:00:00.200",
            ["Unidler:HoldStaleAfter"] = "00:00:01",
            ["LeaderElection:LeaseNamespace"] = variant.Namespace,
        }, configure: services => services.AddSingleton<OvnUnidler.Holding.IConnectionHolder>(new Holding.RecordingConnectionHolder()),
            token: environment.Api.IssueServiceAccountToken(variant.Namespace, variant.ServiceAccount));
        await observer.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventsAsync([EventRow.For("10.96.0.19:80")]);

        var user = variant.OperatorUser.Name;
        await environment.Api.Requests.WaitForAsync(
            request => request.User?.Name == user && request.Verb == "patch" && request.Resource == "endpointslices", TimeSpan.FromSeconds(20), cancellation);
        await Eventually.TrueAsync(async () => (await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("shop",
            labelSelector: "endpointslice.kubernetes.io/managed-by=holder.unidler.ovn.org", cancellationToken: cancellation)).Items.Count == 0,
            "the left slice and the hold's own removed");
    }

    // The way README documents to let the operator scale another kind: a ClusterRole carrying the
    // aggregation label of ovn-unidler-scale-targets, which the variant binds to the operator.
    private static async Task GrantRolloutsAsync(IKubernetes client)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await ScalableCustomResources.CreateDefinitionAsync(client, "argoproj.io", "Rollout", "rollouts");
        await client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta
            {
                Name = "ovn-unidler-rollouts",
                Labels = new Dictionary<string, string> { ["unidler.ovn.org/aggregate-to-ovn-unidler"] = "true" },
            },
            Rules = [new V1PolicyRule { ApiGroups = ["argoproj.io"], Resources = ["rollouts/scale"], Verbs = ["get", "update"] }],
        }, cancellationToken: cancellation);
    }

    private static async Task CreateRunningAsync(IKubernetes client, OperatorEnvironment environment, string name, string clusterIp, object workload)
    {
        var cancellation = TestContext.Current.CancellationToken;
        _ = workload switch
        {
            V1StatefulSet statefulSet => await client.AppsV1.CreateNamespacedStatefulSetAsync(statefulSet, "shop", cancellationToken: cancellation) as object,
            V1ReplicationController controller => await client.CoreV1.CreateNamespacedReplicationControllerAsync(controller, "shop", cancellationToken: cancellation),
            _ => throw new ArgumentOutOfRangeException(nameof(workload)),
        };
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec
            {
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                Selector = new Dictionary<string, string> { ["app"] = name },
                Ports = [new V1ServicePort { Port = 80, Protocol = "TCP", TargetPort = 8080 }],
            },
        }, "shop", cancellationToken: cancellation);
        await environment.Workloads.WaitForServingPodsAsync("shop", name, 1);
    }

    [Fact]
    public async Task A_service_account_without_bindings_is_refused_with_403()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        using var unbound = environment.Api.CreateClient(environment.Api.IssueServiceAccountToken("elsewhere", "nobody"));

        var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(
            () => unbound.CoreV1.ListNamespacedServiceAsync("shop", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Equal(
            "services is forbidden: User \"system:serviceaccount:elsewhere:nobody\" cannot list resource \"services\" in API group \"\" in the namespace \"shop\"",
            System.Text.Json.JsonDocument.Parse(refused.Response.Content).RootElement.GetProperty("message").GetString());
    }

    // kind null: only idled-at on the Service, as an oc idle that recorded no targets there left it.
    private static async Task CreateIdledAsync(IKubernetes client, string ns, string name, string clusterIp, object? workload, string? kind, string? group)
    {
        var cancellation = TestContext.Current.CancellationToken;
        switch (workload)
        {
            case V1StatefulSet statefulSet:
                await client.AppsV1.CreateNamespacedStatefulSetAsync(statefulSet, ns, cancellationToken: cancellation);
                break;
            case V1ReplicaSet replicaSet:
                await client.AppsV1.CreateNamespacedReplicaSetAsync(replicaSet, ns, cancellationToken: cancellation);
                break;
            case V1ReplicationController controller:
                await client.CoreV1.CreateNamespacedReplicationControllerAsync(controller, ns, cancellationToken: cancellation);
                break;
            case System.Text.Json.Nodes.JsonObject deploymentConfig:
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(deploymentConfig, "apps.openshift.io", "v1", ns, "deploymentconfigs", cancellationToken: cancellation);
                break;
        }

        var groupField = group is null ? "" : $",\"group\":\"{group}\"";
        var annotations = new Dictionary<string, string> { [IdledWorkloads.IdledAt] = "2026-11-20T10:00:00Z" };
        if (kind is not null)
        {
            annotations[IdledWorkloads.UnidleTargets] = $"[{{\"kind\":\"{kind}\",\"name\":\"{name}\"{groupField},\"replicas\":1}}]";
        }

        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = annotations,
            },
            Spec = new V1ServiceSpec
            {
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                Selector = new Dictionary<string, string> { ["app"] = name },
                Ports = [new V1ServicePort { Port = 80, Protocol = "TCP", TargetPort = 8080 }],
            },
        }, ns, cancellationToken: cancellation);
    }

    // OpenShift's apps.openshift.io/v1 DeploymentConfig, which KubernetesClient has no model for.
    private static System.Text.Json.Nodes.JsonObject DeploymentConfig(string name) => new()
    {
        ["apiVersion"] = "apps.openshift.io/v1",
        ["kind"] = "DeploymentConfig",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = name,
            ["annotations"] = new System.Text.Json.Nodes.JsonObject
            {
                ["idling.alpha.openshift.io/previous-scale"] = "1",
                [IdledWorkloads.IdledAt] = "2026-11-20T10:00:00Z",
            },
        },
        ["spec"] = new System.Text.Json.Nodes.JsonObject
        {
            ["replicas"] = 0,
            ["selector"] = new System.Text.Json.Nodes.JsonObject { ["app"] = name },
            ["template"] = System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(Template(name))),
        },
    };

    private static V1LabelSelector Selector(string name) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = name } };

    private static V1PodTemplateSpec Template(string name) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = "registry.example/app:1" }] },
    };
}
