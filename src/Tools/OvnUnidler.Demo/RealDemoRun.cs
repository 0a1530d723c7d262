using System.Diagnostics;
using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Kubelet;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Traffic;
using OvnUnidler.Manifests;

namespace OvnUnidler.Demo;

/// <summary>
/// The README's first command: real OVN on the userspace datapath (two nodes joined by geneve),
/// the Kubernetes API double whose Pods the lab kubelet runs as real pod servers, an idled
/// Service, the operator process in its operator pod (as a cluster runs it: its own OVN port,
/// its pod IP as the holder's address, the API over the pod's host link with its service
/// account's token), and a real curl that wakes it. It prints the timeline from curl's start: the
/// SYNs, the Controller_Event row, the VIP pointed at the holder, the retransmitted SYN held there,
/// pod start and readiness, the held connection's answer, the backends handed to the pod; then a
/// second request is served at once, straight by the pod, and raises no event; the Service's Idler
/// shows the wake and the held connection. Exit code 1 when a
/// step failed; everything it made is removed.
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
        var lab = await TrafficLab.StartAsync(new TrafficLabOptions { NodesPerZone = 2, HostLink = true }, cancellationToken).ConfigureAwait(false);
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
        narrator.Heading("Starting the Kubernetes API double with crds/ applied, on loopback and on the lab's host link; the lab kubelet runs its Pods as network namespaces with a real pod server; the demo's own set-up runs as cluster-admin");
        var apiOptions = DemoApi.RealTraffic();
        apiOptions.ListenAddresses.Add(lab.HostAddress!);
        await using var api = await KubernetesApiDouble.StartAsync(apiOptions, cancellationToken).ConfigureAwait(false);
        var kubernetes = api.CreateClient();
        await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        using var identity = await OperatorIdentity.InstallAsync(api, variant, cancellationToken, api.HttpsServerOn(lab.HostAddress!)).ConfigureAwait(false);
        narrator.Say(identity.DescribeInstall());
        await using var cluster = LabCluster.Start(lab, kubernetes, new LabKubeletOptions { Namespaces = [Namespace] });
        var nodes = lab.Nodes.ToList();

        narrator.Heading($"Creating Deployment {Namespace}/{Name} (pods start {StartDelay.TotalSeconds:0} s after they are created) and its Service, then idling it as `oc idle` does");
        var (clusterIp, port) = await cluster.CreateWorkloadAsync(Namespace, Name, 80, "TCP", 1, StartDelay, node: nodes[1].Name, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var idled = await cluster.IdleAsync(Namespace, Name, "ovn-unidler-demo", StepTimeout, cancellationToken).ConfigureAwait(false);
        var service = await cluster.AddIdledLoadBalancerAsync(Namespace, Name, clusterIp, port, "TCP", 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        narrator.Say($"  {Namespace}/{Name} {service.Vip}: {idled.Status}; its pod is gone; its load balancer has no backends and options:event=true (on both node switches)");
        var idlerReport = new IdlerReport(api, kubernetes, narrator);
        await idlerReport.CreateAsync(Namespace, Name, cancellationToken).ConfigureAwait(false);

        var pod = await lab.AddOperatorPodAsync(nodes[1], $"{variant.Namespace}_{variant.ServiceAccount}", cancellationToken).ConfigureAwait(false);
        var holder = $"{pod.PodIp}:";
        narrator.Heading($"Starting ovn-unidler as a cluster runs it: its own process in an operator pod on {nodes[1]} ({pod.PodIp} on the node switch: Unidler:HolderAddress, "
            + $"as deploy/ sets it from status.podIP), as {identity.User} through its kubeconfig ({identity.Server}, over the pod's host link); "
            + "per zone, connections held during a wake (Unidler:HoldConnections, on by default), backends mode write since no ovn-kubernetes writes them here");
        var log = new OperatorLogNarration(narrator);
        await using var unidler = LabOperator.Start(pod, OperatorConfiguration(lab, variant, identity));
        unidler.Process.Line += log.OnLine;
        unidler.Process.ErrorLine += log.OnErrorLine;
        await unidler.WaitUntilReadyAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        narrator.Say($"  the operator (pid {unidler.Process.Pid}) answers /readyz at {unidler.HttpBase}");

        var zone = lab.Zones[0];
        await using var southbound = new SouthboundTap(zone.SouthboundRemote, narrator);
        await southbound.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var northbound = new NorthboundTap(zone.NorthboundRemote, narrator,
            value => value.StartsWith(holder, StringComparison.Ordinal) ? "the holder in the operator pod" : null);
        await northbound.StartAsync(cancellationToken).ConfigureAwait(false);
        using var clusterTap = new ClusterTap(kubernetes, Namespace, narrator);
        clusterTap.Start();
        var ready = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Kubelet.PodStarted += (started, at) => narrator.StepAt(at, "kubelet", $"pod {started} created on its node; its server starts listening in {StartDelay.TotalSeconds:0} s");
        cluster.Kubelet.PodReady += readyPod =>
        {
            narrator.StepAt(readyPod.ReadyAt, "kubelet", $"pod {readyPod.Namespace}/{readyPod.Name} ({readyPod.Ipv4}) answered its readiness probe: Ready");
            ready.TrySetResult(readyPod.ReadyAt);
        };

        var client = await lab.AddPodAsync(nodes[0], "demo_client", cancellationToken).ConfigureAwait(false);
        using var syns = await SynWatch.StartAsync(client, (at, packet) => narrator.StepAt(at, "client", packet.Contains("Flags [S.]", StringComparison.Ordinal)
            ? $"SYN-ACK {Summary(packet)}" : $"SYN {Summary(packet)}"), cancellationToken).ConfigureAwait(false);

        narrator.Heading($"curl http://{service.Vip}/ from a client pod on {nodes[0]} (times from curl's start; the first SYN is dropped and raises the event, Linux retransmits it to the holder)");
        narrator.ResetClock();
        narrator.HoldSteps();
        var first = await CurlClient.RequestAsync(client, service.Url, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        Report(first);
        // The wake ends a moment after curl's answer (backends handed to the pod, annotations, and
        // last the row's acknowledgement): its lines belong to this timeline, not the next.
        await UntilAsync(() => southbound.Inserted > 0 && southbound.Rows == 0, cancellationToken).ConfigureAwait(false);
        narrator.ReleaseInOrder();
        var held = await SayHoldAsync(first, ready.Task, northbound, holder, cancellationToken).ConfigureAwait(false);

        narrator.Heading("A second request: the load balancer has the pod's backend now, so it connects at once, straight to the pod, and raises no event");
        var insertedBefore = southbound.Inserted;
        narrator.ResetClock();
        narrator.HoldSteps();
        var second = await CurlClient.RequestAsync(client, service.Url, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        Report(second);
        narrator.ReleaseInOrder();
        await zone.WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);
        var rows = await zone.SbctlAsync(["--bare", "--columns=_uuid", "list", "Controller_Event"], cancellationToken).ConfigureAwait(false);
        var quiet = rows.Length == 0 && southbound.Inserted == insertedBefore;
        narrator.Step("southbound", quiet ? "no Controller_Event for the second request" : $"unexpected Controller_Event rows: {rows}");

        narrator.Heading($"The Idler {Namespace}/{Name} as a user sees it: the wake counted, and the held connection in its last hold");
        var shown = await idlerReport.SayAsync(Namespace, Name, StepTimeout, cancellationToken).ConfigureAwait(false);

        narrator.Heading("Stopping the operator (SIGTERM, as the kubelet stops its container)");
        await unidler.StopAsync(StepTimeout).ConfigureAwait(false);
        var stopped = unidler.Process.HasExited && unidler.Process.ExitCode == 0;
        var warnings = OperatorLogNarration.Warnings(unidler.Process.Output, unidler.Process.StandardError);
        narrator.Say(stopped ? "  the operator exited with 0" : $"  the operator did not stop cleanly (exit {(unidler.Process.HasExited ? unidler.Process.ExitCode : "none")})");
        narrator.Say(warnings.Count == 0 ? "  it logged no warning or error" : $"  it logged {warnings.Count} warning(s) or error(s): {string.Join(" | ", warnings)}");
        var allowed = identity.SayAudit(narrator);
        var deployment = await kubernetes.AppsV1.ReadNamespacedDeploymentAsync(Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        narrator.Say($"  {Namespace}/{Name}: {deployment.Spec.Replicas ?? 0} replica(s); first request {Describe(first)}; second {Describe(second)}");
        return first.Succeeded && second.Succeeded && held && shown && quiet && allowed && stopped && warnings.Count == 0 && deployment.Spec.Replicas == 1
            && first.ConnectedAt - first.FirstSynAt > TimeSpan.FromSeconds(0.5);
    }

    /// <summary>
    /// Says how the first request was held and judges it: the VIP pointed at the holder, the
    /// client connected (to the holder) before the pod was ready, its first byte came after
    /// readiness, and the VIP was then handed to the pod.
    /// </summary>
    private async Task<bool> SayHoldAsync(HttpExchange exchange, Task<DateTime> ready, NorthboundTap northbound, string holder, CancellationToken cancellationToken)
    {
        var readyAt = ready.IsCompleted ? await ready.ConfigureAwait(false) : (DateTime?)null;
        var changes = northbound.Changes;
        var pointedAtHolder = changes.Any(value => value.StartsWith(holder, StringComparison.Ordinal));
        var handedToPod = await UntilAsync(
            () => northbound.Changes.LastOrDefault() is { Length: > 0 } last && !last.Contains(holder, StringComparison.Ordinal), cancellationToken)
            .ConfigureAwait(false);
        if (readyAt is { } at && exchange is { ConnectedAt: { } connected, FirstByteAt: { } firstByte, FirstSynAt: { } syn })
        {
            narrator.Say($"  held: connected {(connected - syn).TotalMilliseconds:F0} ms after the first SYN, {(at - connected).TotalMilliseconds:F0} ms before the pod was ready; "
                + $"first byte {(firstByte - at).TotalMilliseconds:F0} ms after readiness");
        }

        var held = pointedAtHolder && handedToPod && readyAt is { } readiness && exchange.ConnectedAt < readiness && exchange.FirstByteAt > readiness;
        if (!held)
        {
            narrator.Say($"  NOT HELD as expected: VIP pointed at the holder {pointedAtHolder}; handed to the pod {handedToPod}; pod ready at {readyAt:O}; "
                + $"connected at {exchange.ConnectedAt:O}; first byte at {exchange.FirstByteAt:O}");
        }

        return held;
    }

    /// <summary>True once <paramref name="condition"/> holds, false if it does not within <see cref="StepTimeout"/>.</summary>
    private static async Task<bool> UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > StepTimeout)
            {
                return false;
            }

            await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
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

    /// <summary>The operator's configuration, passed to its process as environment variables as a Deployment's container gets it.</summary>
    private static Dictionary<string, string> OperatorConfiguration(TrafficLab lab, DeployVariant variant, OperatorIdentity identity)
    {
        var configuration = identity.Settings.Where(entry => entry.Value is not null).ToDictionary(entry => entry.Key, entry => entry.Value!, StringComparer.Ordinal);
        configuration["Unidler:Mode"] = variant.Mode;
        configuration["Unidler:Backends"] = "Write";
        configuration["Unidler:BackendsTimeout"] = "00:01:00";
        configuration["Unidler:Namespaces:0"] = Namespace;
        configuration["Southbound:Remote"] = lab.Zones[0].SouthboundRemote;
        configuration["Northbound:Remote"] = lab.Zones[0].NorthboundRemote;
        configuration["Idling:Instance"] = "demo";
        configuration["Logging:LogLevel:Microsoft"] = "Warning";
        configuration["Logging:LogLevel:System"] = "Warning";
        return configuration;
    }
}
