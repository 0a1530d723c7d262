using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class AdmissionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_in_a_namespace_that_does_not_exist_is_404_for_the_namespace()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        using var client = api.CreateClient();

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.NotFound, "NotFound",
            () => client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("c"), "x", cancellationToken: Ct));

        Assert.Equal("namespaces \"x\" not found", status.GetProperty("message").GetString());
        Assert.Equal("""{"name":"x","kind":"namespaces"}""", status.GetProperty("details").GetRawText());
    }

    [Theory]
    [InlineData("not-a-time", "cannot parse \"not-a-time\" as \"2006\"")]
    [InlineData("2024-05-01T10:00:00Z", "cannot parse \"Z\" as \".000000\"")]
    [InlineData("2024-13-01T10:00:00.000000Z", "month out of range")]
    public async Task A_lease_time_that_is_not_rfc3339_micro_time_cannot_be_decoded_400(string renewTime, string problem)
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var http = DoubleWithNamespaces.AdminHttp(api);

        using var response = await http.PostAsync("apis/coordination.k8s.io/v1/namespaces/shop/leases", Json(
            $$$"""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},"spec":{"holderIdentity":"a","renewTime":"{{{renewTime}}}"}}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("message").GetString()!;
        Assert.StartsWith($"Lease in version \"v1\" cannot be handled as a Lease: parsing time \"{renewTime}\"", message, StringComparison.Ordinal);
        Assert.EndsWith(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_lease_transitions_and_a_zero_duration_are_422_with_a_cause_each()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var client = api.CreateClient();
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseTransitions = -1, LeaseDurationSeconds = 0, RenewTime = DateTime.UtcNow },
        };

        var status = await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.CoordinationV1.CreateNamespacedLeaseAsync(lease, "shop", cancellationToken: Ct));

        Assert.Equal(
            "Lease.coordination.k8s.io \"l\" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]",
            status.GetProperty("message").GetString());
        Assert.Equal(
            """[{"reason":"FieldValueInvalid","message":"Invalid value: 0: must be greater than 0","field":"spec.leaseDurationSeconds"},{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.leaseTransitions"}]""",
            status.GetProperty("details").GetProperty("causes").GetRawText());
    }

    [Fact]
    public async Task Defaults_fill_the_fields_kubectl_and_the_operator_read()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);
        using var client = api.CreateClient();
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } };

        var created = await client.CoreV1.CreateNamespacedServiceAsync(service, "shop", cancellationToken: Ct);
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        var statefulSet = await client.AppsV1.CreateNamespacedStatefulSetAsync(Models.StatefulSet("db", 1, "db"), "shop", cancellationToken: Ct);

        var port = Assert.Single(created.Spec.Ports);
        Assert.Equal("TCP", port.Protocol);
        Assert.Equal("80", port.TargetPort.Value);
        Assert.Equal(("ClusterIP", "None"), (created.Spec.Type, created.Spec.SessionAffinity));
        Assert.Equal(("RollingUpdate", "25%", "25%"), (deployment.Spec.Strategy.Type, deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value, deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value));
        Assert.Equal((10, 600), (deployment.Spec.RevisionHistoryLimit, deployment.Spec.ProgressDeadlineSeconds));
        var pod = deployment.Spec.Template.Spec;
        Assert.Equal(("Always", "ClusterFirst", 30L, "default-scheduler"), (pod.RestartPolicy, pod.DnsPolicy, pod.TerminationGracePeriodSeconds, pod.SchedulerName));
        Assert.Equal(("File", "/dev/termination-log"), (pod.Containers[0].TerminationMessagePolicy, pod.Containers[0].TerminationMessagePath));
        Assert.Equal(("OrderedReady", "RollingUpdate", 0), (statefulSet.Spec.PodManagementPolicy, statefulSet.Spec.UpdateStrategy.Type, statefulSet.Spec.UpdateStrategy.RollingUpdate.Partition));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
