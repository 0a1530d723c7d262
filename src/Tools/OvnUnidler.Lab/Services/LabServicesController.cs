using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OvnUnidler.Lab.Network;

namespace OvnUnidler.Lab.Services;

/// <summary>
/// The lab's stand-in for ovn-kubernetes' services controller (go-controller/pkg/ovn/controller/
/// services/services_controller.go), which is what points a Service's VIPs at its endpoints in a
/// cluster where ovn-unidler runs in mode observe. ovn-kubernetes itself cannot run here: it is Go,
/// and neither a Go toolchain nor its dependencies are available on these machines. This class
/// follows its rules as docs/ovn-facts.md records them from the upstream sources, without its code:
/// it lists and watches Services and EndpointSlices, and for each Service, level-based (one worker,
/// a queue of Service keys, every change of the Service or of any slice labelled with its name
/// requeues it), gives each zone's Northbound the Service's cluster-wide load balancers as
/// <see cref="ServiceLoadBalancerRules"/> builds them, created on the zone's node switches when
/// missing, rewritten only when they differ from what it last wrote, deleted when the Service goes.
/// A failed write is retried. Unlike ovn-kubernetes it also deletes the load balancers it made when
/// it stops, so that a lab outlives the tests that use it clean.
/// </summary>
public sealed partial class LabServicesController : IAsyncDisposable
{
    private const string ServiceNameLabel = "kubernetes.io/service-name";
    private static readonly TimeSpan RelistDelay = TimeSpan.FromMilliseconds(200);
    private readonly IKubernetes client;
    private readonly TrafficLab lab;
    private readonly IReadOnlyList<TrafficZone> zones;
    private readonly LabServicesControllerOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ConcurrentDictionary<string, V1Service> services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, V1EndpointSlice> slices = new(StringComparer.Ordinal);
    private readonly Channel<string> queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> queued = new(StringComparer.Ordinal);
    private readonly Lock queueGate = new();
    private readonly CancellationTokenSource stopping = new();
    private Task[] loops = [];

    private LabServicesController(IKubernetes client, TrafficLab lab, LabServicesControllerOptions options, TimeProvider timeProvider)
    {
        this.client = client;
        this.lab = lab;
        this.options = options;
        this.timeProvider = timeProvider;
        zones = options.Zones.Count == 0 ? lab.Zones : [.. options.Zones.Select(zone => lab.Zones[zone - 1])];
    }

    /// <summary>The last failure (a watch, a sync); the controller goes on.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>
    /// Starts watching and returns once the first lists of Services and EndpointSlices are in, as
    /// an informer-based controller starts its workers only after its caches have synced.
    /// </summary>
    public static async Task<LabServicesController> StartAsync(
        IKubernetes client, TrafficLab lab, LabServicesControllerOptions? options = null, TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(lab);
        var controller = new LabServicesController(client, lab, options ?? new LabServicesControllerOptions(), timeProvider ?? TimeProvider.System);
        var token = controller.stopping.Token;
        var servicesListed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slicesListed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        controller.loops =
        [
            controller.InformAsync(
                ct => client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct), list => list.Items, list => list.Metadata.ResourceVersion,
                (version, ct) => client.CoreV1.WatchListServiceForAllNamespacesAsync(resourceVersion: version, allowWatchBookmarks: true, cancellationToken: ct),
                controller.ReplaceServices, controller.ObserveService, servicesListed, token),
            controller.InformAsync(
                ct => client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: ct), list => list.Items, list => list.Metadata.ResourceVersion,
                (version, ct) => client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(resourceVersion: version, allowWatchBookmarks: true, cancellationToken: ct),
                controller.ReplaceSlices, controller.ObserveSlice, slicesListed, token),
        ];
        try
        {
            await Task.WhenAll(servicesListed.Task, slicesListed.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await controller.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        controller.loops = [.. controller.loops, controller.WorkAsync(token)];
        return controller;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        await RemoveAllAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task InformAsync<TList, TItem>(
        Func<CancellationToken, Task<TList>> list, Func<TList, IList<TItem>> items, Func<TList, string> version,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, TItem)>> watch,
        Action<IReadOnlyList<TItem>> replace, Action<WatchEventType, TItem> observe, TaskCompletionSource listed, CancellationToken cancellationToken)
        where TItem : IKubernetesObject<V1ObjectMeta>
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var current = await list(cancellationToken).ConfigureAwait(false);
                replace([.. items(current).Where(Mine)]);
                listed.TrySetResult();
                await foreach (var (type, item) in watch(version(current), cancellationToken).ConfigureAwait(false))
                {
                    if (type == WatchEventType.Error)
                    {
                        break;
                    }

                    if (type != WatchEventType.Bookmark && Mine(item))
                    {
                        observe(type, item);
                    }
                }
            }
            catch (Exception exception) when (exception is HttpOperationException or HttpRequestException or IOException or JsonException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The watch ended, expired or failed: list again, as an informer does.
                LastError = exception;
            }

            await Task.Delay(RelistDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool Mine<TItem>(TItem item)
        where TItem : IKubernetesObject<V1ObjectMeta> =>
        options.Namespaces.Count == 0 || options.Namespaces.Contains(item.Metadata.NamespaceProperty);

    private void ReplaceServices(IReadOnlyList<V1Service> listed)
    {
        var present = listed.ToDictionary(Key, StringComparer.Ordinal);
        foreach (var key in services.Keys.Where(key => !present.ContainsKey(key)).ToList())
        {
            services.TryRemove(key, out _);
            Enqueue(key);
        }

        foreach (var (key, service) in present)
        {
            services[key] = service;
            Enqueue(key);
        }
    }

    private void ObserveService(WatchEventType type, V1Service service)
    {
        var key = Key(service);
        if (type == WatchEventType.Deleted)
        {
            services.TryRemove(key, out _);
        }
        else
        {
            services[key] = service;
        }

        Enqueue(key);
    }

    private void ReplaceSlices(IReadOnlyList<V1EndpointSlice> listed)
    {
        var present = listed.ToDictionary(Key, StringComparer.Ordinal);
        foreach (var key in slices.Keys.Where(key => !present.ContainsKey(key)).ToList())
        {
            if (slices.TryRemove(key, out var gone))
            {
                EnqueueServiceOf(gone);
            }
        }

        foreach (var (key, slice) in present)
        {
            slices[key] = slice;
            EnqueueServiceOf(slice);
        }
    }

    private void ObserveSlice(WatchEventType type, V1EndpointSlice slice)
    {
        var key = Key(slice);
        if (slices.TryGetValue(key, out var previous))
        {
            EnqueueServiceOf(previous);
        }

        if (type == WatchEventType.Deleted)
        {
            slices.TryRemove(key, out _);
        }
        else
        {
            slices[key] = slice;
        }

        EnqueueServiceOf(slice);
    }

    /// <summary>go-controller/pkg/util/util.go: a Service's slices on the default network are those labelled kubernetes.io/service-name with its name, whoever manages them.</summary>
    private IEnumerable<V1EndpointSlice> SlicesOf(string ns, string service) =>
        slices.Values.Where(slice => slice.Metadata.NamespaceProperty == ns
            && slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var name) == true && name == service);

    private void EnqueueServiceOf(V1EndpointSlice slice)
    {
        if (slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var name) == true && name.Length > 0)
        {
            Enqueue($"{slice.Metadata.NamespaceProperty}/{name}");
        }
    }

    private void Enqueue(string key)
    {
        lock (queueGate)
        {
            if (queued.Add(key))
            {
                queue.Writer.TryWrite(key);
            }
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        await foreach (var key in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (queueGate)
            {
                queued.Remove(key);
            }

            try
            {
                await SyncAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LastError = exception;
                _ = RetryLaterAsync(key, cancellationToken);
            }
        }
    }

    private async Task RetryLaterAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.RetryDelay, timeProvider, cancellationToken).ConfigureAwait(false);
            Enqueue(key);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = key.Split('/') is [var first, var second] ? (first, second) : throw new ArgumentException($"not a Service key: {key}", nameof(key));
        var desired = services.TryGetValue(key, out var service)
            ? ServiceLoadBalancerRules.Desired(service, SlicesOf(ns, name), timeProvider.GetUtcNow())
            : [];
        foreach (var zone in zones)
        {
            await ApplyAsync(zone, ns, name, desired, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Key<TItem>(TItem item)
        where TItem : IKubernetesObject<V1ObjectMeta> => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";
}
