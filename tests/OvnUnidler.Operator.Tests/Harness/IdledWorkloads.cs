using System.Globalization;
using k8s;
using k8s.Models;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>Creates idled Services the way `oc idle` leaves them, through the Kubernetes API.</summary>
public sealed class IdledWorkloads(IKubernetes client)
{
    public const string IdledAt = "idling.alpha.openshift.io/idled-at";
    public const string UnidleTargets = "idling.alpha.openshift.io/unidle-targets";

    public async Task CreateAsync(string ns, string name, string clusterIp, int port, int replicas, bool idled = true, string protocol = "TCP")
    {
        var cancellation = TestContext.Current.CancellationToken;
        var labels = new Dictionary<string, string> { ["app"] = name };
        await EnsureNamespaceAsync(ns);
        await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = idled ? 0 : replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
                },
            },
        }, ns, cancellationToken: cancellation);

        var annotations = idled
            ? new Dictionary<string, string>
            {
                [IdledAt] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                [UnidleTargets] = $$"""[{"kind":"Deployment","name":"{{name}}","group":"apps","replicas":{{replicas}}}]""",
            }
            : null;
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
            Spec = new V1ServiceSpec
            {
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                Selector = labels,
                Ports = [new V1ServicePort { Name = "http", Port = port, Protocol = protocol, TargetPort = 8080 }],
            },
        }, ns, cancellationToken: cancellation);
    }

    public async Task<int> ReplicasAsync(string ns, string name) =>
        (await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: TestContext.Current.CancellationToken)).Spec.Replicas ?? 0;

    public async Task<IDictionary<string, string>> AnnotationsAsync(string ns, string name) =>
        (await client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: TestContext.Current.CancellationToken)).Metadata.Annotations
        ?? new Dictionary<string, string>();

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string ns, string reason) =>
        [.. (await client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: TestContext.Current.CancellationToken)).Items
            .Where(item => item.Reason == reason)];

    /// <summary>The namespace, created unless it exists: the API server refuses objects in a namespace that does not.</summary>
    public async Task EnsureNamespaceAsync(string ns)
    {
        try
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: TestContext.Current.CancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException conflict) when (conflict.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Created by an earlier workload of the test.
        }
    }
}
