using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// Watches Services and EndpointSlices in every served namespace (or cluster-wide) into the
/// caches the mapper and the backend gate read. Runs on every replica, leader or not, so a standby
/// that takes over starts warm.
/// </summary>
public sealed class ClusterView(
    IKubernetes client,
    ServiceCache services,
    EndpointSliceCache endpointSlices,
    ReadinessSignals readiness,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider,
    ILogger<ClusterView> logger) : BackgroundService
{
    private const int WatchTimeoutSeconds = 300;
    // A page's full objects are garbage once kept: pages small enough to bound that, large enough to be few.
    private const int PageSize = 2000;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        readiness.Register(ReadinessNames.Services);
        readiness.Register(ReadinessNames.EndpointSlices);
        var scopes = options.Value.Namespaces.Count == 0 ? [null] : options.Value.Namespaces.Cast<string?>().ToArray();
        var serviceSynced = new SyncCounter(scopes.Length, () => readiness.Set(ReadinessNames.Services, true));
        var sliceSynced = new SyncCounter(scopes.Length, () => readiness.Set(ReadinessNames.EndpointSlices, true));
        var watchers = new List<Task>();
        foreach (var scope in scopes)
        {
            watchers.Add(new ResourceWatcher<V1Service, CachedService>(ServiceSource(scope), services, serviceSynced.Synced(scope),
                options.Value.ResyncPeriod, timeProvider, logger).RunAsync(stoppingToken));
            watchers.Add(new ResourceWatcher<V1EndpointSlice, CachedEndpointSlice>(EndpointSliceSource(scope), endpointSlices, sliceSynced.Synced(scope),
                options.Value.ResyncPeriod, timeProvider, logger).RunAsync(stoppingToken));
        }

        return Task.WhenAll(watchers);
    }

    private ResourceSource<V1Service> ServiceSource(string? scope) => new(
        scope is null ? "services" : $"services in {scope}",
        scope,
        async (continueToken, token) =>
        {
            var list = scope is null
                ? await client.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: continueToken, limit: PageSize, cancellationToken: token).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedServiceAsync(scope, continueParameter: continueToken, limit: PageSize, cancellationToken: token).ConfigureAwait(false);
            return (list.Items, list.Metadata);
        },
        (resourceVersion, onError, cancellationToken) => scope is null
            ? client.CoreV1.WatchListServiceForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: cancellationToken)
            : client.CoreV1.WatchListNamespacedServiceAsync(
                scope, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: cancellationToken));

    private ResourceSource<V1EndpointSlice> EndpointSliceSource(string? scope) => new(
        scope is null ? "endpointslices" : $"endpointslices in {scope}",
        scope,
        async (continueToken, token) =>
        {
            var list = scope is null
                ? await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(continueParameter: continueToken, limit: PageSize, cancellationToken: token).ConfigureAwait(false)
                : await client.DiscoveryV1.ListNamespacedEndpointSliceAsync(scope, continueParameter: continueToken, limit: PageSize, cancellationToken: token).ConfigureAwait(false);
            return (list.Items, list.Metadata);
        },
        (resourceVersion, onError, cancellationToken) => scope is null
            ? client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: cancellationToken)
            : client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(
                scope, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
                onError: onError, cancellationToken: cancellationToken));

    /// <summary>Calls back once every scope has listed at least once.</summary>
    private sealed class SyncCounter(int scopes, Action allSynced)
    {
        private readonly HashSet<string> synced = [];

        public Action Synced(string? scope) => () =>
        {
            lock (synced)
            {
                if (synced.Add(scope ?? "*") && synced.Count == scopes)
                {
                    allSynced();
                }
            }
        };
    }
}
