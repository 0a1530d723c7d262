using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Benchmarks.Measuring;
using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Kubelet;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Traffic;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// Issue 15, point 7: what a client of an idled Service waits for. Real OVN on the userspace
/// datapath (client on node1, pods on node2, geneve between them), the operator in write mode,
/// pods that listen after a start-up delay of 0, 2, 5 or 8 s; curl under both SYN schedules
/// (net.ipv4.tcp_syn_linear_timeouts 4 and 0) and the lab's UDP client (a query every second).
/// Each run: idle the Service, request once, record first byte and pod readiness after the
/// client's first SYN or datagram. --mode hold runs the operator process in an operator pod with
/// Unidler:HoldConnections=true (issue 16); each hold run must show the VIP pointing at that pod
/// during the wake (an `ovsdb-client monitor` of the load balancers' vips), else the benchmark fails rather than report a run that held nothing. Runs are
/// merged into artifacts/benchmarks/first-byte.json by mode.
/// </summary>
public sealed class FirstByteScenario : IArtifactScenario
{
    private const string Namespace = "first-byte";
    private const string Component = "first-byte";
    private static readonly int[] Delays = [0, 2, 5, 8];
    private static readonly int[] SynSchedules = [4, 0];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly List<FirstByteRun> runs = [];
    private FirstByteMode mode;

    public string Name => "first-byte";

    private string ModeName => mode.ToString().ToLowerInvariant();

    public string Description => "real curl / UDP client -> idled Service: first byte and pod readiness after the first SYN/datagram (needs root; --mode retransmit|hold)";

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (TrafficLab.WhyUnavailable() is { } why)
        {
            throw new InvalidOperationException($"first-byte needs the real-traffic lab: {why}");
        }

        mode = context.Mode;
        var hold = mode == FirstByteMode.Hold;
        var repeat = Math.Max(5, context.Repeat);
        var clock = Stopwatch.StartNew();
        await using var lab = await TrafficLab.StartAsync(new TrafficLabOptions { NodesPerZone = 2, HostLink = hold }, cancellationToken);
        var labStart = clock.Elapsed;
        var labResident = lab.Pids.Sum(ResidentBytes);
        context.Progress($"lab started in {labStart.TotalSeconds:F2} s; its {lab.Pids.Count} daemons use {Statistics.Megabytes(labResident):F1} MB RSS");
        var apiOptions = KubernetesApiDoubleOptions.ForOutsideKubelet(Path.Combine(RepositoryRoot.Find(), "crds"));
        if (hold)
        {
            apiOptions.ListenAddresses.Add(lab.HostAddress!);
        }

        await using var api = await KubernetesApiDouble.StartAsync(apiOptions, cancellationToken);
        var kubernetes = api.CreateClient();
        await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken);
        await using var cluster = LabCluster.Start(lab, kubernetes, new LabKubeletOptions { Namespaces = [Namespace] });
        var readiness = new ConcurrentQueue<LabPodReadiness>();
        cluster.Kubelet.PodReady += readiness.Enqueue;
        var nodes = lab.Nodes.ToList();

        context.Progress("creating one Service per protocol and pod start-up delay");
        var services = await Task.WhenAll(Delays.SelectMany(delay => new[] { "TCP", "UDP" }.Select(protocol =>
            CreateServiceAsync(cluster, protocol, delay, nodes[1].Name, cancellationToken))));
        await using var unidler = hold
            ? await StartOperatorPodAsync(lab, api, nodes[0], cancellationToken)
            : await StartInProcessAsync(lab.Zones[0], kubernetes, cancellationToken);
        var client = await lab.AddPodAsync(nodes[0], $"{Namespace}_client", cancellationToken);

        runs.Clear();
        for (var run = 1; run <= repeat; run++)
        {
            foreach (var service in services)
            {
                foreach (var schedule in service.Protocol == "TCP" ? SynSchedules.Cast<int?>() : [null])
                {
                    await IdleAsync(cluster, service, cancellationToken);
                    var before = readiness.Count;
                    // A hold points the VIP's backends at the operator pod while the wake lasts.
                    await using var watch = unidler.HolderAddress is not null
                        ? await TableWatch.StartAsync(lab.Zones[0].NorthboundRemote, "OVN_Northbound", "Load_Balancer", "vips", cancellationToken)
                        : null;
                    var result = service.Protocol == "TCP"
                        ? await MeasureTcpAsync(ModeName, client, service, schedule!.Value, readiness, before, cancellationToken)
                        : await MeasureUdpAsync(ModeName, client, service, readiness, before, cancellationToken);
                    if (watch is not null && !watch.Saw($"{unidler.HolderAddress}:"))
                    {
                        throw new InvalidOperationException(
                            $"--mode hold: the VIP {service.Service.Vip} never pointed at the operator pod {unidler.HolderAddress} during the wake, so this was no hold "
                            + "(does the operator hold connections with Unidler:HoldConnections=true?); no hold figures are written");
                    }

                    runs.Add(result);
                    context.Progress($"run {run}/{repeat} {service.Protocol} start {service.StartDelay}s syn {schedule?.ToString(CultureInfo.InvariantCulture) ?? "-"}: ready +{result.ReadyAfterSeconds:F3} s, first byte +{result.FirstByteAfterSeconds:F3} s");
                }
            }
        }

        var results = new List<BenchmarkResult>
        {
            new("lab start (2 nodes, geneve)", labStart.TotalSeconds, "s", "NB, SB, northd, 2 x (conf db, vswitchd netdev in its netns, ovn-controller), topology, synced"),
            new("lab daemons RSS", Statistics.Megabytes(labResident), "MB", $"{lab.Pids.Count} daemons, before any pod"),
        };
        foreach (var group in runs.GroupBy(run => (run.Protocol, run.PodStartSeconds, run.SynLinearTimeouts)))
        {
            var waits = group.Select(run => run.FirstByteAfterSeconds - run.ReadyAfterSeconds).Order().ToList();
            var label = $"{ModeName} {group.Key.Protocol} start {group.Key.PodStartSeconds:0} s{(group.Key.SynLinearTimeouts is { } linear ? $" linear {linear}" : "")}";
            results.Add(new($"{label}: first byte median", Median(group.Select(run => run.FirstByteAfterSeconds)), "s"));
            results.Add(new($"{label}: ready median", Median(group.Select(run => run.ReadyAfterSeconds)), "s"));
            results.Add(new($"{label}: first byte - ready median", Median(waits), "s", $"worst {waits[^1]:F3} s over {waits.Count} runs"));
        }

        return results;
    }

    /// <summary>
    /// Writes this run's mode into artifacts/benchmarks/first-byte.json beside the other modes' runs
    /// already there: the earlier runs of this mode are replaced, those of other modes kept.
    /// </summary>
    public async Task<string> WriteArtifactAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(repositoryRoot, "artifacts", "benchmarks")).FullName;
        var path = Path.Combine(directory, $"{Name}.json");
        var kept = new List<FirstByteRun>();
        if (File.Exists(path))
        {
            await using var existing = File.OpenRead(path);
            var previous = await JsonSerializer.DeserializeAsync<FirstByteArtifact>(existing, Json, cancellationToken)
                ?? throw new InvalidDataException($"{path} holds no runs");
            kept.AddRange(previous.Runs.Where(run => run.Mode != ModeName));
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, new FirstByteArtifact([.. kept, .. runs]), Json, cancellationToken);
        return path;
    }

    private static async Task<BenchService> CreateServiceAsync(LabCluster cluster, string protocol, int delay, string node, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{protocol.ToLowerInvariant()}-{delay}s");
        var port = protocol == "TCP" ? 80 : 53;
        var services = await cluster.CreateIdledServiceAsync(
            Namespace, name, port, protocol, TimeSpan.FromSeconds(delay), Component, node, timeout: Patience, cancellationToken: cancellationToken);
        return new BenchService(services.Single(), protocol, delay);
    }

    /// <summary>
    /// As `oc idle` and ovn-kubernetes leave it: scaled to 0, its pod gone, the VIP without backends,
    /// no row standing. The client's last packets of the previous request (its FIN and ACK) may
    /// reach the VIP just after its backends went and wake it again, as any packet would: then it
    /// is idled once more after that wake.
    /// </summary>
    private static async Task IdleAsync(LabCluster cluster, BenchService service, CancellationToken cancellationToken)
    {
        var zone = cluster.Lab.Zones[0];
        var name = service.Service.Name;
        for (var attempt = 1; ; attempt++)
        {
            await cluster.IdleAsync(Namespace, name, Component, Patience, cancellationToken);
            await TrafficLab.SetBackendsAsync(zone, service.Service.LoadBalancer, service.Service.Vip, [], cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Patience);
            while (true)
            {
                var pods = cluster.Lab.Pods.Any(pod => pod.LogicalPort.StartsWith($"{Namespace}_{name}-", StringComparison.Ordinal));
                var rows = (await zone.SbctlAsync(["--bare", "--columns=_uuid", "list", "Controller_Event"], deadline.Token)).Length > 0;
                var replicas = (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace, cancellationToken: deadline.Token)).Spec.Replicas ?? 0;
                if (!pods && !rows && replicas == 0)
                {
                    await zone.WaitForHypervisorSyncAsync(cancellationToken);
                    return;
                }

                if (replicas > 0)
                {
                    if (attempt >= 3)
                    {
                        throw new InvalidOperationException($"{name} keeps being woken after idling");
                    }

                    await cluster.WaitForReadyEndpointsAsync(Namespace, name, 1, Patience, cancellationToken);
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
        }
    }

    private static async Task<FirstByteRun> MeasureTcpAsync(
        string modeName, LabPod client, BenchService service, int schedule, ConcurrentQueue<LabPodReadiness> readiness, int before, CancellationToken cancellationToken)
    {
        await client.ExecAsync("sysctl", ["-qw", string.Create(CultureInfo.InvariantCulture, $"net.ipv4.tcp_syn_linear_timeouts={schedule}")], cancellationToken);
        var exchange = await CurlClient.RequestAsync(client, service.Service.Url, TimeSpan.FromSeconds(45), cancellationToken);
        if (!exchange.Succeeded || exchange.FirstSynAt is not { } syn || exchange.FirstByteAt is not { } firstByte)
        {
            throw new InvalidOperationException($"curl to {service.Service.Vip} failed: {exchange.Trace}");
        }

        var ready = ReadyAt(readiness, before, service);
        return new FirstByteRun(modeName, "tcp", service.StartDelay, schedule, Seconds(ready - syn), Seconds(firstByte - syn));
    }

    private static async Task<FirstByteRun> MeasureUdpAsync(
        string modeName, LabPod client, BenchService service, ConcurrentQueue<LabPodReadiness> readiness, int before, CancellationToken cancellationToken)
    {
        using var query = PodPrograms.StartUdpQuery(client, IPEndPoint.Parse(service.Service.Vip), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45));
        if (await query.WaitForExitAsync(cancellationToken) != 0 || query.Output.Count != 1)
        {
            throw new InvalidOperationException($"the UDP client got no answer from {service.Service.Vip}: {string.Join('\n', query.Output)} {query.StandardError}");
        }

        var exchange = UdpExchange.Parse(query.Output.Single());
        var ready = ReadyAt(readiness, before, service);
        return new FirstByteRun(modeName, "udp", service.StartDelay, null, Seconds(ready - exchange.FirstSentAt), Seconds(exchange.AnsweredAt!.Value - exchange.FirstSentAt));
    }

    private static DateTime ReadyAt(ConcurrentQueue<LabPodReadiness> readiness, int before, BenchService service) =>
        readiness.Skip(before).First(pod => pod.Name.StartsWith(service.Service.Name + "-", StringComparison.Ordinal)).ReadyAt;

    private static Dictionary<string, string> OperatorConfiguration(TrafficZone zone) => new(StringComparer.Ordinal)
    {
        ["Unidler:Mode"] = "PerZone",
        ["Unidler:Backends"] = "Write",
        ["Unidler:BackendsTimeout"] = "00:01:00",
        ["Unidler:Namespaces:0"] = Namespace,
        ["Southbound:Remote"] = zone.SouthboundRemote,
        ["Northbound:Remote"] = zone.NorthboundRemote,
    };

    private static async Task<RunningOperator> StartInProcessAsync(TrafficZone zone, IKubernetes kubernetes, CancellationToken cancellationToken)
    {
        var configuration = OperatorConfiguration(zone);
        configuration["Http:Port"] = "0";
        // Retransmit mode measures the wake without a holder (the in-process instance has no pod address either).
        configuration["Unidler:HoldConnections"] = "false";
        var host = UnidlerHost.Build([], configuration.Select(entry => KeyValuePair.Create(entry.Key, (string?)entry.Value)), services =>
        {
            services.AddSingleton(kubernetes);
            services.AddLogging(logging => logging.ClearProviders().AddSimpleConsole().AddFilter((_, level) => level >= LogLevel.Warning));
        });
        await host.StartAsync(cancellationToken);
        var signals = host.Services.GetRequiredService<ReadinessSignals>();
        await signals.WaitUntilReadyAsync(signals.Snapshot().Keys, cancellationToken).WaitAsync(Patience, cancellationToken);
        return new RunningOperator(null, async () =>
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        });
    }

    /// <summary>
    /// Issue 16's placement: the operator process in an operator pod on the client's node (the
    /// per-zone instance of the client's zone), holding connections, with POD_IP for its holder.
    /// </summary>
    private static async Task<RunningOperator> StartOperatorPodAsync(TrafficLab lab, KubernetesApiDouble api, NetdevChassis node, CancellationToken cancellationToken)
    {
        var pod = await lab.AddOperatorPodAsync(node, $"{Namespace}_ovn-unidler", cancellationToken);
        var kubeconfig = Path.Combine(lab.Directory, "operator-kubeconfig.yaml");
        await File.WriteAllTextAsync(kubeconfig, api.KubeconfigFor(api.AdminToken, api.ServerOn(lab.HostAddress!)), cancellationToken);
        var configuration = OperatorConfiguration(lab.Zones[0]);
        configuration["Unidler:HoldConnections"] = "true";
        configuration["Kubernetes:Kubeconfig"] = kubeconfig;
        configuration["LeaderElection:LeaseNamespace"] = Namespace;
        var unidler = LabOperator.Start(pod, configuration, logLevel: "Warning");
        unidler.Process.ErrorLine += line => Console.Error.WriteLine($"operator: {line}");
        await unidler.WaitUntilReadyAsync(Patience, cancellationToken);
        return new RunningOperator(pod.PodIp, async () =>
        {
            await unidler.DisposeAsync();
            await lab.RemovePodAsync(pod.Pod, CancellationToken.None);
        });
    }

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static long ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(text => text.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private sealed record BenchService(LabService Service, string Protocol, int StartDelay);

    private sealed record FirstByteArtifact(IReadOnlyList<FirstByteRun> Runs);

    /// <summary>The operator of a run; <see cref="HolderAddress"/> is the operator pod's address in mode hold, null in this process.</summary>
    private sealed class RunningOperator(IPAddress? holderAddress, Func<Task> stop) : IAsyncDisposable
    {
        public IPAddress? HolderAddress => holderAddress;

        public async ValueTask DisposeAsync() => await stop().ConfigureAwait(false);
    }
}
