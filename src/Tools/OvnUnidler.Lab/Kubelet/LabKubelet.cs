using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Traffic;

namespace OvnUnidler.Lab.Kubelet;

/// <summary>
/// Runs a cluster's Pods as real lab pods, through the Kubernetes API as a kubelet (with its CNI)
/// does: it watches Pods; for each new one it makes a network namespace on the pod's node (the
/// node named by spec.nodeName or the kubernetes.io/hostname node selector, else the next node in
/// turn) bound to a logical switch port with the pod's own addresses and writes pods/status as a
/// kubelet does once the sandbox has its network: Running, podIP/podIPs, Ready=False (the
/// EndpointSlice controller lists the pod, not ready, from then on). It starts the pod server
/// (HTTP on the container's port named "http", else <see cref="PodPrograms.HttpPort"/>) after the
/// pod's start-up delay, probes it every 50 ms, and at the first answer writes Ready=True.
/// A deleted Pod's server stops and its namespace goes.
/// </summary>
public sealed class LabKubelet : IAsyncDisposable
{
    private static readonly TimeSpan RelistDelay = TimeSpan.FromMilliseconds(200);
    private readonly IKubernetes client;
    private readonly TrafficLab lab;
    private readonly IReadOnlyList<NetdevChassis> nodes;
    private readonly LabKubeletOptions options;
    private readonly ConcurrentDictionary<string, RunningPod> running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LabPodReadiness> ready = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;
    private int nextNode;

    public LabKubelet(IKubernetes client, TrafficLab lab, LabKubeletOptions? options = null, IEnumerable<NetdevChassis>? nodes = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.lab = lab ?? throw new ArgumentNullException(nameof(lab));
        this.options = options ?? new LabKubeletOptions();
        this.nodes = [.. nodes ?? lab.Nodes];
    }

    /// <summary>Pods that became ready, by "NAMESPACE/NAME".</summary>
    public IReadOnlyDictionary<string, LabPodReadiness> Ready => ready;

    /// <summary>Raised when a pod first answers its probe, before its status is written.</summary>
    public event Action<LabPodReadiness>? PodReady;

    /// <summary>Raised when a pod's server has been started (after its namespace and port are up).</summary>
    public event Action<string, DateTime>? PodStarted;

    /// <summary>The last failure to run a pod (the kubelet goes on with the others).</summary>
    public Exception? LastError { get; private set; }

    public void Start() => loop = RunAsync(stopping.Token);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        foreach (var key in running.Keys.ToList())
        {
            await StopPodAsync(key).ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var present = list.Items.Where(Mine).ToDictionary(Key, StringComparer.Ordinal);
                foreach (var key in running.Keys.Where(key => !present.ContainsKey(key)).ToList())
                {
                    _ = StopPodAsync(key);
                }

                foreach (var pod in present.Values)
                {
                    Observe(WatchEventType.Added, pod);
                }

                await foreach (var (type, pod) in client.CoreV1.WatchListPodForAllNamespacesAsync(
                    resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (type != WatchEventType.Bookmark && Mine(pod))
                    {
                        Observe(type, pod);
                    }
                }
            }
            catch (Exception exception) when (exception is HttpOperationException or HttpRequestException or IOException or JsonException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The watch ended or expired: list again, as an informer does.
            }

            await Task.Delay(RelistDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool Mine(V1Pod pod) => options.Namespaces.Count == 0 || options.Namespaces.Contains(pod.Metadata.NamespaceProperty);

    private void Observe(WatchEventType type, V1Pod pod)
    {
        var key = Key(pod);
        if (type == WatchEventType.Deleted || pod.Metadata.DeletionTimestamp is not null)
        {
            _ = StopPodAsync(key);
            return;
        }

        if (!running.ContainsKey(key) && pod.Status?.PodIP is null)
        {
            var started = new RunningPod(CancellationTokenSource.CreateLinkedTokenSource(stopping.Token));
            if (running.TryAdd(key, started))
            {
                started.Work = RunPodAsync(pod, started);
            }
        }
    }

    private async Task RunPodAsync(V1Pod pod, RunningPod state)
    {
        var cancellationToken = state.Cancellation.Token;
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        try
        {
            var node = NodeOf(pod);
            var delay = StartDelayOf(pod);
            // ovn-kubernetes names a pod's logical switch port NAMESPACE_NAME.
            state.Pod = await lab.AddPodAsync(node, $"{ns}_{name}", cancellationToken).ConfigureAwait(false);
            var addressedAt = DateTime.UtcNow;
            await client.CoreV1.PatchNamespacedPodStatusAsync(
                new V1Patch(Status(state.Pod, node, addressedAt, readyAt: null), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            var httpPort = HttpPortOf(pod);
            var server = PodPrograms.StartServer(state.Pod, name, delay, httpPort);
            PodStarted?.Invoke(Key(pod), server.StartedAt);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(options.ReadinessTimeout + delay);
            var readyAt = await ReadinessProbe.WaitUntilAnswersAsync(state.Pod, httpPort, limit.Token).ConfigureAwait(false);
            var readiness = new LabPodReadiness(ns, name, node.Name, state.Pod.Ipv4.ToString(), state.Pod.Ipv6.ToString(), delay, server.StartedAt, readyAt);
            ready[Key(pod)] = readiness;
            PodReady?.Invoke(readiness);
            await client.CoreV1.PatchNamespacedPodStatusAsync(
                new V1Patch(Status(state.Pod, node, addressedAt, readyAt), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Deleted before it became ready, or the kubelet stops.
        }
        catch (Exception exception)
        {
            LastError = exception;
        }
    }

    private async Task StopPodAsync(string key)
    {
        if (!running.TryRemove(key, out var state))
        {
            return;
        }

        await state.Cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await state.Work.ConfigureAwait(false);
            if (state.Pod is { } pod)
            {
                await lab.RemovePodAsync(pod, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LastError = exception;
        }
        finally
        {
            state.Cancellation.Dispose();
            ready.TryRemove(key, out _);
        }
    }

    private NetdevChassis NodeOf(V1Pod pod)
    {
        var wanted = pod.Spec?.NodeName
            ?? (pod.Spec?.NodeSelector?.TryGetValue("kubernetes.io/hostname", out var hostname) == true ? hostname : null);
        if (wanted is not null)
        {
            return nodes.FirstOrDefault(node => node.Name == wanted)
                ?? throw new InvalidOperationException($"pod {Key(pod)} wants node {wanted}, which this kubelet does not run");
        }

        return nodes[(Interlocked.Increment(ref nextNode) - 1) % nodes.Count];
    }

    private TimeSpan StartDelayOf(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(LabKubeletOptions.StartDelayAnnotation, out var text) == true
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : options.DefaultStartDelay;

    private static int HttpPortOf(V1Pod pod) =>
        pod.Spec?.Containers?.SelectMany(container => container.Ports ?? []).FirstOrDefault(port => port.Name == "http")?.ContainerPort
            ?? PodPrograms.HttpPort;

    // Merge patches replace the conditions list whole, so each status names every condition.
    private static string Status(LabPod pod, NetdevChassis node, DateTime addressedAt, DateTime? readyAt)
    {
        static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var ready = readyAt is null ? "False" : "True";
        var readyChanged = Stamp(readyAt ?? addressedAt);
        return JsonSerializer.Serialize(new
        {
            status = new
            {
                phase = "Running",
                hostIP = node.EncapIp?.ToString(),
                podIP = pod.Ipv4.ToString(),
                podIPs = new[] { new { ip = pod.Ipv4.ToString() }, new { ip = pod.Ipv6.ToString() } },
                startTime = Stamp(addressedAt),
                conditions = new[]
                {
                    new { type = "PodScheduled", status = "True", lastTransitionTime = Stamp(addressedAt) },
                    new { type = "Initialized", status = "True", lastTransitionTime = Stamp(addressedAt) },
                    new { type = "ContainersReady", status = ready, lastTransitionTime = readyChanged },
                    new { type = "Ready", status = ready, lastTransitionTime = readyChanged },
                },
            },
        });
    }

    private static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    private sealed class RunningPod(CancellationTokenSource cancellation)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task Work { get; set; } = Task.CompletedTask;

        public LabPod? Pod { get; set; }
    }
}
