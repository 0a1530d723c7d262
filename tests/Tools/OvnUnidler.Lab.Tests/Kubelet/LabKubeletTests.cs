using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab.Kubelet;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Tests.Network;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.Lab.Tests.Kubelet;

[Collection(TrafficLabCollection.Name)]
public sealed class LabKubeletTests(TrafficLabFixture fixture)
{
    // Not the lab's default (PodPrograms.HttpPort): the pod's container port named http decides.
    private const int HttpPort = 8123;

    [Fact]
    public async Task A_pod_created_through_the_api_gets_its_address_not_ready_listens_on_its_http_container_port_and_is_marked_ready_at_its_first_answer_then_goes_with_its_deletion()
    {
        RealTrafficGate.Require(fixture.WhyUnavailable);
        var cancellation = TestContext.Current.CancellationToken;
        var lab = fixture.Lab;
        await using var api = await KubernetesApiDouble.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, cancellation);
        using var kubernetes = api.CreateClient();
        const string Ns = "kubelet-test";
        await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } }, cancellationToken: cancellation);
        await using var kubelet = new LabKubelet(kubernetes, lab, new LabKubeletOptions { Namespaces = [Ns] });
        kubelet.Start();
        var client = await lab.AddPodAsync(lab.Nodes.First(), "kubelet-client", cancellation).Within(Deadline.Long);
        try
        {
            var namespacesBefore = lab.NamespaceNames.Count;
            await kubernetes.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "web-1", Annotations = new Dictionary<string, string> { [LabKubeletOptions.StartDelayAnnotation] = "3" } },
                Spec = new V1PodSpec
                {
                    NodeName = "node2",
                    Containers = [new V1Container { Name = "web", Image = "lab/pod-server", Ports = [new V1ContainerPort { Name = "http", ContainerPort = HttpPort }] }],
                },
            }, Ns, cancellationToken: cancellation);

            // As a kubelet: the address once the pod's network is up, long before it answers.
            var addressed = await Eventually.ValueAsync(
                () => kubernetes.CoreV1.ReadNamespacedPodAsync("web-1", Ns, cancellationToken: cancellation), read => read.Status?.PodIP is not null, "web-1 addressed", Deadline.Long);
            var readyWhenAddressed = kubelet.Ready.ContainsKey($"{Ns}/web-1");

            var pod = await Eventually.ValueAsync(
                () => kubernetes.CoreV1.ReadNamespacedPodAsync("web-1", Ns, cancellationToken: cancellation),
                read => read.Status?.Conditions?.Any(condition => condition.Type == "Ready" && condition.Status == "True") == true,
                "web-1 ready", Deadline.Long);
            var readiness = kubelet.Ready[$"{Ns}/web-1"];
            Assert.False(readyWhenAddressed, "the pod answered before its address was seen");
            Assert.Equal("Running", addressed.Status.Phase);
            Assert.Equal("False", addressed.Status.Conditions.Single(condition => condition.Type == "Ready").Status);
            Assert.Equal(readiness.Ipv4, addressed.Status.PodIP);
            Assert.Equal("node2", readiness.Node);
            Assert.Equal(readiness.Ipv4, pod.Status.PodIP);
            Assert.Equal([readiness.Ipv4, readiness.Ipv6], pod.Status.PodIPs.Select(address => address.Ip));
            Assert.True(readiness.ReadyAt - readiness.StartedAt >= TimeSpan.FromSeconds(3), $"ready {readiness.ReadyAt:O} before its 3 s start-up from {readiness.StartedAt:O}");
            var exchange = await CurlClient.RequestAsync(client, new Uri($"http://{pod.Status.PodIP}:{HttpPort}/"), TimeSpan.FromSeconds(10), cancellation)
                .Within(Deadline.Long);
            Assert.True(exchange.Succeeded, exchange.Trace);
            Assert.Equal("web-1", exchange.Body.Trim());
            Assert.Equal(namespacesBefore + 1, lab.NamespaceNames.Count);

            await kubernetes.CoreV1.DeleteNamespacedPodAsync("web-1", Ns, cancellationToken: cancellation);

            await Eventually.TrueAsync(() => lab.NamespaceNames.Count == namespacesBefore, "the pod's namespace removed", Deadline.Long);
            Assert.DoesNotContain(lab.Pods, running => running.LogicalPort == $"{Ns}_web-1");
            Assert.Null(kubelet.LastError);
        }
        finally
        {
            await lab.RemovePodAsync(client, CancellationToken.None);
        }
    }
}
