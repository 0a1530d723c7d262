using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Idle;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Demo;

/// <summary>
/// The dummy-datapath demo (`bash .ci/demo packet`): a real OVN stack, the Kubernetes API double, three idled Services,
/// one packet, and every step of the wake as it happens.
/// </summary>
public sealed class PacketDemoRun(Narrator narrator)
{
    private const string Namespace = "demo";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private static readonly IdledService[] Services =
    [
        new(Namespace, "web", "10.96.0.10", 80, "TCP", 3),
        new(Namespace, "api", "10.96.0.11", 8080, "TCP", 2),
        new(Namespace, "dns", "10.96.0.12", 53, "UDP", 1),
    ];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (OperatorIdentity.Render(narrator) is not { } variant)
        {
            return 1;
        }

        narrator.Say("ovn-unidler demo: a real OVN stack on the dummy datapath, an in-process Kubernetes API, no cluster.");
        narrator.Heading("Starting OVN: NB and SB ovsdb-server, ovn-northd, two chassis (ovsdb-server, ovs-vswitchd --enable-dummy, ovn-controller)");
        await using var lab = await OvnLab.StartAsync(new OvnLabOptions { Chassis = 2, DirectoryPrefix = "ovndemo" }, cancellationToken).ConfigureAwait(false);
        var network = await lab.AddSwitchAsync("sw0", "192.168.1.0/24", cancellationToken).ConfigureAwait(false);
        var client1 = await lab.AddPortAsync(network, "client-1", cancellationToken).ConfigureAwait(false);
        var client2 = await lab.AddPortAsync(network, "client-2", cancellationToken).ConfigureAwait(false);
        var hv1 = await lab.Chassis[0].BindPortAsync(client1, 1, cancellationToken).ConfigureAwait(false);
        await lab.Chassis[1].BindPortAsync(client2, 1, cancellationToken).ConfigureAwait(false);
        narrator.Say($"  lab in {lab.Directory}; Southbound {lab.SouthboundRemote}; chassis {string.Join(", ", lab.Chassis.Select(chassis => chassis.SystemId))}");

        narrator.Heading("Starting the Kubernetes API double with crds/ applied (its controller-manager makes pods ready 300 ms after a scale); the demo's own set-up runs as cluster-admin");
        await using var api = await KubernetesApiDouble.StartAsync(DemoApi.Simulated(TimeSpan.FromMilliseconds(300)), cancellationToken).ConfigureAwait(false);
        var kubernetes = api.CreateClient();
        await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        narrator.Say($"  API at {api.BaseAddress}");
        using var identity = await OperatorIdentity.InstallAsync(api, variant, cancellationToken).ConfigureAwait(false);
        narrator.Say(identity.DescribeInstall());

        narrator.Heading("Creating three Services and idling them as `oc idle` / `ovn-unidler idle` does");
        var loadBalancers = new Dictionary<string, string>();
        foreach (var service in Services)
        {
            await CreateWorkloadAsync(kubernetes, service, cancellationToken).ConfigureAwait(false);
            loadBalancers[service.Name] = await lab.AddLoadBalancerAsync(new LabLoadBalancerSpec
            {
                Name = $"Service_{service.Namespace}/{service.Name}_{service.Protocol}_cluster",
                Vips = [service.Vip],
                Protocol = service.Protocol == "UDP" ? LabProtocol.Udp : LabProtocol.Tcp,
                Switches = [network.Name],
                ExternalIds = LabLoadBalancerSpec.ServiceExternalIds(service.Namespace, service.Name),
            }, cancellationToken).ConfigureAwait(false);
        }

        var idler = new ServiceIdler(kubernetes, TimeProvider.System, options: new IdlingOptions { Component = "ovn-unidler-demo" });
        foreach (var service in Services)
        {
            var idled = await idler.IdleAsync(service.Namespace, service.Name, new IdleRequest(), cancellationToken).ConfigureAwait(false);
            narrator.Say($"  {service.Namespace}/{service.Name} {service.Vip}/{service.Protocol}: {idled.Status}, recorded {string.Join(", ", idled.Targets.Select(target => $"{target.Target.Kind}/{target.Target.Name}"))}; load balancer with empty backends and options:event=true");
        }

        // Idling takes the pods away asynchronously; start from Services that have no ready endpoints left.
        await WaitUntilAsync(async () => (await kubernetes.DiscoveryV1.ListNamespacedEndpointSliceAsync(Namespace, cancellationToken: cancellationToken)
            .ConfigureAwait(false)).Items.All(slice => (slice.Endpoints ?? []).Count == 0), cancellationToken).ConfigureAwait(false);
        await lab.WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);

        narrator.Heading($"Starting ovn-unidler (per-zone mode, as {identity.User} through its kubeconfig; backends mode write, since no ovn-kubernetes writes them here)");
        var wakes = new WakeNarration(narrator);
        using var host = UnidlerHost.Build([], new Dictionary<string, string?>(identity.Settings)
        {
            ["Unidler:Mode"] = variant.Mode,
            ["Unidler:Backends"] = "Write",
            // An injected packet on the dummy datapath has no connection to hold and the operator no
            // pod address for a holder; the real demo shows holding.
            ["Unidler:HoldConnections"] = "false",
            ["Unidler:BackendsTimeout"] = "00:00:30",
            ["Southbound:Remote"] = lab.SouthboundRemote,
            ["Northbound:Remote"] = lab.NorthboundRemote,
            ["Http:Port"] = "0",
            ["Idling:Instance"] = "demo",
        }, services =>
        {
            services.AddSingleton<IWakeObserver>(wakes);
            services.AddLogging(logging => logging.ClearProviders().AddProvider(new NarratingLoggerProvider(narrator)));
        });
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var readiness = host.Services.GetRequiredService<ReadinessSignals>();
        await readiness.WaitUntilReadyAsync(readiness.Snapshot().Keys, cancellationToken).WaitAsync(StepTimeout, cancellationToken).ConfigureAwait(false);

        await using var southbound = new SouthboundTap(lab.SouthboundRemote, narrator);
        await southbound.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var northbound = new NorthboundTap(lab.NorthboundRemote, narrator);
        await northbound.StartAsync(cancellationToken).ConfigureAwait(false);
        using var cluster = new ClusterTap(kubernetes, Namespace, narrator);
        cluster.Start();

        var web = Services[0];
        narrator.Heading($"Sending one TCP packet from client-1 on hv1 to {web.Namespace}/{web.Name} at {web.Vip} (times from the packet)");
        narrator.ResetClock();
        await lab.Chassis[0].SendAsync(LabPacket.To(web.Vip, hv1), cancellationToken).ConfigureAwait(false);
        narrator.Step("hv1", $"packet injected into client-1 (netdev-dummy/receive) to {web.Vip}");
        var report = await wakes.FirstWake.WaitAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        await WaitUntilAsync(() => southbound.Rows == 0, cancellationToken).ConfigureAwait(false);

        narrator.Heading("Sending a second packet to the same VIP: the load balancer now has backends, so no event is raised");
        var insertedBefore = southbound.Inserted;
        narrator.ResetClock();
        await lab.Chassis[0].SendAsync(LabPacket.To(web.Vip, hv1), cancellationToken).ConfigureAwait(false);
        narrator.Step("hv1", $"packet injected to {web.Vip}");
        await lab.WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);
        // An event takes ~10 ms to appear (docs/ovn-facts.md); absence can only be shown by waiting a bounded time.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        var rowsAfterSecondPacket = (await lab.GetControllerEventsAsync(cancellationToken).ConfigureAwait(false)).Count;
        narrator.Step("southbound", rowsAfterSecondPacket == 0 && southbound.Inserted == insertedBefore
            ? "no Controller_Event after 2 s: the packet went to the backends"
            : $"unexpected: {rowsAfterSecondPacket} Controller_Event row(s)");

        narrator.Heading("Result");
        var ok = report.Outcome == Operator.Model.EventOutcome.Woken && rowsAfterSecondPacket == 0 && southbound.Inserted == insertedBefore;
        foreach (var service in Services)
        {
            var deployment = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(service.Name, service.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var expected = service == web ? service.Replicas : 0;
            ok &= (deployment.Spec.Replicas ?? 0) == expected;
            narrator.Say($"  {service.Namespace}/{service.Name}: {deployment.Spec.Replicas ?? 0} replica(s){(service == web ? " (woken by the packet)" : " (still idled: no traffic)")}");
        }

        var needPods = (await kubernetes.CoreV1.ListNamespacedEventAsync(Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Where(item => item.Reason == "NeedPods").ToList();
        narrator.Say($"  events: {string.Join("; ", needPods.Select(item => $"{item.Reason} on {item.InvolvedObject.Name}: {item.Message}"))}");
        narrator.Say($"  load balancer {loadBalancers[web.Name]} vip {web.Vip}: backends written by the operator from the ready EndpointSlice");

        narrator.Heading("Stopping the operator and every OVN daemon the demo started");
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        ok &= identity.SayAudit(narrator);
        narrator.Say(ok ? "Demo finished: one packet woke one Service, its rows were deleted, the next packet reached the backends." : "Demo FAILED: see the timeline above.");
        narrator.Say("""

            To run the operator against a real cluster (ovn-kubernetes or OpenShift), see README.md "Install on a cluster":
              kubectl apply -k deploy/              # OVN interconnect (the default): DaemonSet, each pod uses its node's databases
              kubectl apply -k deploy/central       # central databases: Deployment with leader election, reaches the Southbound over ssl
            or run it locally: dotnet run --project src/OvnUnidler.Operator -- run --Southbound:Remote=ssl:SB:6642 --Kubernetes:Kubeconfig=~/.kube/config
            """);
        return ok ? 0 : 1;
    }

    private static async Task CreateWorkloadAsync(IKubernetes kubernetes, IdledService service, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { ["app"] = service.Name };
        await kubernetes.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = service.Name, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = service.Replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = service.Name, Image = $"registry.example/{service.Name}:1" }] },
                },
            },
        }, service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        await kubernetes.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = service.Name },
            Spec = new V1ServiceSpec
            {
                ClusterIP = service.ClusterIp,
                ClusterIPs = [service.ClusterIp],
                Selector = labels,
                Ports = [new V1ServicePort { Name = "main", Port = service.Port, Protocol = service.Protocol, TargetPort = 8080 }],
            },
        }, service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        // Idling follows the Service's ready endpoints to the pods (as oc idle does), so it starts once they serve.
        await WaitUntilAsync(async () =>
        {
            var slices = await kubernetes.DiscoveryV1.ListNamespacedEndpointSliceAsync(
                service.Namespace, labelSelector: $"kubernetes.io/service-name={service.Name}", cancellationToken: cancellationToken).ConfigureAwait(false);
            return slices.Items.SelectMany(slice => slice.Endpoints ?? []).Count(endpoint => endpoint.Conditions?.Ready != false) == service.Replicas;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => Task.FromResult(condition()), cancellationToken);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StepTimeout);
        while (!await condition().ConfigureAwait(false))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token).ConfigureAwait(false);
        }
    }
}
