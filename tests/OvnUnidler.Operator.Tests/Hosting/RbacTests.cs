using k8s;
using k8s.Models;
using OvnUnidler.Entities;
using OvnUnidler.Operator.Tests.Harness;
using OvnUnidler.Testing.Deployment;

namespace OvnUnidler.Operator.Tests.Hosting;

/// <summary>
/// The operator runs as its service account with the roles of each deploy/ variant, rendered by
/// real kustomize and installed into the API double, which authorizes every request by them.
/// It wakes every kind it can scale and idles through an Idler, and the double's journal must show
/// no refused request and no rule it never needed.
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
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
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
        await CreateIdledAsync(client, "shop", "classic", "10.96.0.15", DeploymentConfig("classic"), "DeploymentConfig", "apps.openshift.io");
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
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(new V1Alpha1Idler
        {
            Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = "shop" },
            Spec = new V1Alpha1IdlerSpec { ServiceName = "api", DesiredState = IdlerDesiredState.Idled },
        }, V1Alpha1Idler.Group, V1Alpha1Idler.Version, "shop", V1Alpha1Idler.Plural, cancellationToken: cancellation);
        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "api") == 0, "api idled by its Idler");
        await environment.Southbound.InsertEventsAsync(
            new[] { "10.96.0.10:80", "10.96.0.11:80", "10.96.0.12:80", "10.96.0.13:80", "10.96.0.14:80", "10.96.0.15:80" }
                .Select(vip => EventRow.For(vip, loadBalancer: vip == "10.96.0.10:80" ? loadBalancer : null)));
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "every row deleted");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))["10.96.0.10:80"].Length > 0, "backends written");
        var user = variant.OperatorUser.Name;
        await environment.Api.Requests.WaitForAsync(
            request => request.User?.Name == user && request.Verb == "get" && request.Resource == "idlers", TimeSpan.FromSeconds(20), cancellation);

        var audit = OperatorAccessAudit.Of(environment.Api, variant);

        Assert.True(audit.Refused.Count == 0 && audit.UnusedRules.Count == 0, $"{variant}: {audit.Describe()}");
        Assert.Contains(environment.Api.Requests.Snapshot(), request => request.User?.Name == user && request.Resource == "deploymentconfigs" && request.Subresource == "scale" && request.Verb == "update");
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

    private static async Task CreateIdledAsync(IKubernetes client, string ns, string name, string clusterIp, object workload, string kind, string? group)
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
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string>
                {
                    [IdledWorkloads.IdledAt] = "2026-11-20T10:00:00Z",
                    [IdledWorkloads.UnidleTargets] = $"[{{\"kind\":\"{kind}\",\"name\":\"{name}\"{groupField},\"replicas\":1}}]",
                },
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
        ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name },
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
