using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Idle;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Kubelet;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Traffic;
using OvnUnidler.Manifests;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Demo;

/// <summary>
/// The README's first command: real OVN on the userspace datapath (two nodes joined by geneve),
/// the Kubernetes API double whose Pods the lab kubelet runs as real pod servers, an idled
/// Service, and a real curl that wakes it. It prints the timeline from curl's start: the SYNs,
/// the Controller_Event row, the mapping, the scale, pod start and readiness, endpoints, backends,
/// the SYN that connected and the HTTP status line; then a second request is served at once and
/// raises no event. Exit code 1 when a step failed; everything it made is removed.
/// </summary>
public sealed class RealDemoRun(Narrator narrator)
{
    private const string Namespace = "demo";
    private const string Name = "web";
    private static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (TrafficLab.WhyUnavailable() is { } why)
        {
            narrator.Say($"The real-traffic demo cannot run here: {why}. `bash .ci/demo packet` runs the dummy-datapath demo without root.");
            return 1;
        }

        if (OperatorIdentity.Render(narrator) is not { } variant)
        {
            return 1;
        }

        narrator.Say("ovn-unidler demo: real OVN on the userspace datapath, real pods and a real curl, an in-process Kubernetes API; no cluster.");
        narrator.Heading("Starting OVN: NB, SB, ovn-northd; two nodes, each ovs-vswitchd (netdev datapath) in its own network namespace, joined by geneve");
        var clock = Stopwatch.StartNew();
        var lab = await TrafficLab.StartAsync(new TrafficLabOptions { NodesPerZone = 2 }, cancellationToken).ConfigureAwait(false);
        var ok = false;
        try
        {
            narrator.Say($"  lab {lab.Id} in {lab.Directory}, started in {lab.StartDuration.TotalSeconds:F2} s; nodes {string.Join(", ", lab.Nodes)}");
            ok = await RunWithLabAsync(lab, variant, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            narrator.Heading("Removing every namespace, link and daemon the demo made");
            var pids = lab.Pids;
            await lab.DisposeAsync().ConfigureAwait(false);
            var leftNamespaces = NetworkNamespace.List().Where(name => name.Contains(lab.Id, StringComparison.Ordinal)).ToList();
            var leftProcesses = pids.Where(pid => LabOwner.Of(pid) is not null && File.Exists($"/proc/{pid}/cmdline")
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains(lab.Directory, StringComparison.Ordinal)).ToList();
            var clean = leftNamespaces.Count == 0 && leftProcesses.Count == 0 && !Directory.Exists(lab.Directory);
            narrator.Say(clean
                ? $"  nothing of run {lab.Id} is left (namespaces, daemons, {lab.Directory}); {clock.Elapsed.TotalSeconds:F1} s in all"
                : $"  LEFT BEHIND by run {lab.Id}: namespaces [{string.Join(", ", leftNamespaces)}], processes [{string.Join(", ", leftProcesses)}]");
            ok &= clean;
        }

        narrator.Say(ok ? "Demo finished: a real request woke the Service and was answered; the next one went straight to the pod." : "Demo FAILED: see the timeline above.");
        return ok ? 0 : 1;
    }

    private async Task<bool> RunWithLabAsync(TrafficLab lab, DeployVariant variant, CancellationToken cancellationToken)
    {
        narrator.Heading("Starting the Kubernetes API double with crds/ applied; the lab kubelet runs its Pods as network namespaces with a real pod server; the demo's own set-up runs as cluster-admin");
        await using var api = await KubernetesApiDouble.StartAsync(DemoApi.RealTraffic(), cancellationToken).ConfigureAwait(false);
        var kubernetes = api.CreateClient();
        await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        using var identity = await OperatorIdentity.InstallAsync(api, variant, cancellationToken).ConfigureAwait(false);
        narrator.Say(identity.DescribeInstall());
        await using var cluster = LabCluster.Start(lab, kubernetes, new LabKubeletOptions { Namespaces = [Namespace] });
        var nodes = lab.Nodes.ToList();

        narrator.Heading($"Creating Deployment {Namespace}/{Name} (pods start {StartDelay.TotalSeconds:0} s after they are created) and its Service, then idling it as `oc idle` does");
        var (clusterIp, port) = await cluster.CreateWorkloadAsync(Namespace, Name, 80, "TCP", 1, StartDelay, node: nodes[1].Name, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var idler = new ServiceIdler(kubernetes, TimeProvider.System, options: new IdlingOptions { Component = "ovn-unidler-demo" });
        var idled = await idler.IdleAsync(Namespace, Name, new IdleRequest(), cancellationToken).ConfigureAwait(false);
        await cluster.WaitForReadyEndpointsAsync(Namespace, Name, 0, StepTimeout, cancellationToken).ConfigureAwait(false);
        var service = await cluster.AddIdledLoadBalancerAsync(Namespace, Name, clusterIp, port, "TCP", 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        narrator.Say($"  {Namespace}/{Name} {service.Vip}: {idled.Status}; its pod is gone; its load balancer has no backends and options:event=true (on both node switches)");

        narrator.Heading($"Starting ovn-unidler (per zone, as {identity.User} through its kubeconfig; backends mode write, since no ovn-kubernetes writes them here)");
        using var host = StartOperator(lab, variant, identity);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var readiness = host.Services.GetRequiredService<ReadinessSignals>();
        await readiness.WaitUntilReadyAsync(readiness.Snapshot().Keys, cancellationToken).WaitAsync(StepTimeout, cancellationToken).ConfigureAwait(false);

        var zone = lab.Zones[0];
        await using var southbound = new SouthboundTap(zone.SouthboundRemote, narrator);
        await southbound.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var northbound = new NorthboundTap(zone.NorthboundRemote, narrator);
        await northbound.StartAsync(cancellationToken).ConfigureAwait(false);
        using var clusterTap = new ClusterTap(kubernetes, Namespace, narrator);
        clusterTap.Start();
        cluster.Kubelet.PodStarted += (pod, at) => narrator.StepAt(at, "kubelet", $"pod {pod} created on its node; its server starts listening in {StartDelay.TotalSeconds:0} s");
        cluster.Kubelet.PodReady += pod => narrator.StepAt(pod.ReadyAt, "kubelet", $"pod {pod.Namespace}/{pod.Name} ({pod.Ipv4}) answered its readiness probe: Ready");

        var client = await lab.AddPodAsync(nodes[0], "demo_client", cancellationToken).ConfigureAwait(false);
        using var syns = await SynWatch.StartAsync(client, (at, packet) => narrator.StepAt(at, "client", packet.Contains("Flags [S.]", StringComparison.Ordinal)
            ? $"SYN-ACK {Summary(packet)}" : $"SYN {Summary(packet)}"), cancellationToken).ConfigureAwait(false);

        narrator.Heading($"curl http://{service.Vip}/ from a client pod on {nodes[0]} (times from curl's start; Linux retransmits the dropped SYN)");
        narrator.ResetClock();
        var first = await CurlClient.RequestAsync(client, service.Url, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        Report(first);

        narrator.Heading("A second request: the load balancer has its backend now, so it connects at once and raises no event");
        var insertedBefore = southbound.Inserted;
        narrator.ResetClock();
        var second = await CurlClient.RequestAsync(client, service.Url, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        Report(second);
        await zone.WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);
        var rows = await zone.SbctlAsync(["--bare", "--columns=_uuid", "list", "Controller_Event"], cancellationToken).ConfigureAwait(false);
        var quiet = rows.Length == 0 && southbound.Inserted == insertedBefore;
        narrator.Step("southbound", quiet ? "no Controller_Event for the second request" : $"unexpected Controller_Event rows: {rows}");

        narrator.Heading("Stopping the operator");
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        var allowed = identity.SayAudit(narrator);
        var deployment = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        narrator.Say($"  {Namespace}/{Name}: {deployment.Spec.Replicas ?? 0} replica(s); first request {Describe(first)}; second {Describe(second)}");
        return first.Succeeded && second.Succeeded && quiet && allowed && deployment.Spec.Replicas == 1
            && first.ConnectedAt - first.FirstSynAt > TimeSpan.FromSeconds(0.5);
    }

    private void Report(HttpExchange exchange)
    {
        if (exchange.FirstSynAt is { } syn)
        {
            narrator.StepAt(syn, "curl", "connect(): first SYN sent");
        }

        if (exchange.ConnectedAt is { } connected)
        {
            narrator.StepAt(connected, "curl", "connected (the SYN that got its SYN-ACK)");
        }

        if (exchange.FirstByteAt is { } firstByte)
        {
            narrator.StepAt(firstByte, "curl", $"{exchange.StatusLine} -- body: {exchange.Body.Trim()}");
        }

        if (!exchange.Succeeded)
        {
            narrator.Step("curl", $"FAILED (exit {exchange.ExitCode}): {exchange.Trace.Split('\n').LastOrDefault(line => line.Length > 0)}");
        }
    }

    private static string Describe(HttpExchange exchange) => exchange.FirstByteAt is { } at && exchange.FirstSynAt is { } syn
        ? $"{exchange.StatusLine} {(at - syn).TotalSeconds:F3} s after its first SYN"
        : $"failed (exit {exchange.ExitCode})";

    private static string Summary(string packet)
    {
        var flags = packet.IndexOf(", seq", StringComparison.Ordinal);
        return flags > 0 ? packet[..flags] : packet;
    }

    private IHost StartOperator(TrafficLab lab, DeployVariant variant, OperatorIdentity identity) =>
        UnidlerHost.Build([], new Dictionary<string, string?>(identity.Settings)
        {
            ["Unidler:Mode"] = variant.Mode,
            ["Unidler:Backends"] = "Write",
            ["Unidler:BackendsTimeout"] = "00:01:00",
            ["Unidler:Namespaces:0"] = Namespace,
            ["Southbound:Remote"] = lab.Zones[0].SouthboundRemote,
            ["Northbound:Remote"] = lab.Zones[0].NorthboundRemote,
            ["Http:Port"] = "0",
            ["Idling:Instance"] = "demo",
        }, services =>
        {
            services.AddSingleton<Operator.Pipeline.IWakeObserver>(new WakeNarration(narrator));
            services.AddLogging(logging => logging.ClearProviders().AddProvider(new NarratingLoggerProvider(narrator)));
        });
}
