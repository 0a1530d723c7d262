using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Resilience;

namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// List, then watch from the list's resourceVersion with bookmarks, as the API concepts describe
/// "efficient detection of changes": a watch that ends is resumed from the last version seen; a
/// 410 Gone (that version left the watch cache) or a periodic resync lists again, and the cache is
/// replaced so nothing deleted meanwhile is left behind.
/// </summary>
public sealed partial class ResourceWatcher<TEntity>(
    ResourceSource<TEntity> source,
    IResourceCache<TEntity> cache,
    Action onSynced,
    TimeSpan resyncPeriod,
    TimeProvider timeProvider,
    ILogger logger)
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (items, resourceVersion) = await source.List(cancellationToken).ConfigureAwait(false);
                foreach (var item in items)
                {
                    Slim(item);
                }

                cache.Replace(items);
                onSynced();
                LogSynced(logger, source.Description, items.Count, resourceVersion);
                backoff.Reset();
                await WatchUntilRelistAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                var delay = backoff.Next();
                LogFailed(logger, exception, source.Description, delay);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WatchUntilRelistAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var resyncAt = timeProvider.GetUtcNow() + resyncPeriod;
        while (timeProvider.GetUtcNow() < resyncAt)
        {
            var expired = false;
            Exception? failure = null;
            void OnError(Exception exception)
            {
                if (exception is KubernetesException { Status.Code: (int)HttpStatusCode.Gone }
                    or HttpOperationException { Response.StatusCode: HttpStatusCode.Gone })
                {
                    expired = true;
                }
                else
                {
                    failure ??= exception;
                }
            }

            await foreach (var (type, item) in source.Watch(resourceVersion, OnError, cancellationToken).ConfigureAwait(false))
            {
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        cache.Upsert(Slim(item));
                        break;
                    case WatchEventType.Deleted:
                        cache.Remove(item);
                        break;
                }

                resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
            }

            if (expired)
            {
                LogExpired(logger, source.Description, resourceVersion);
                return;
            }

            if (failure is not null)
            {
                throw new InvalidOperationException($"watch of {source.Description} failed: {failure.Message}", failure);
            }
        }
    }

    /// <summary>
    /// Drops what the operator never reads and a real API server sends with every object:
    /// managedFields and kubectl's last-applied copy, often larger than the object itself.
    /// </summary>
    private static TEntity Slim(TEntity item)
    {
        item.Metadata.ManagedFields = null;
        item.Metadata.Annotations?.Remove("kubectl.kubernetes.io/last-applied-configuration");
        return item;
    }

    [LoggerMessage(EventId = EventIds.ViewSynced, Level = LogLevel.Debug,
        Message = "Listed {Resource}: {Count} item(s) at resourceVersion {ResourceVersion}")]
    private static partial void LogSynced(ILogger logger, string resource, int count, string resourceVersion);

    [LoggerMessage(EventId = EventIds.WatchExpired, Level = LogLevel.Information,
        Message = "Watch of {Resource} expired at resourceVersion {ResourceVersion} (410 Gone); listing again")]
    private static partial void LogExpired(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(EventId = EventIds.WatchFailed, Level = LogLevel.Warning,
        Message = "Listing or watching {Resource} failed; retrying in {Delay}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string resource, TimeSpan delay);
}
