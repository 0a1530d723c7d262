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
/// 410 Gone (that version left the watch cache) or a periodic resync lists again, and the cache's
/// part for this source's scope is replaced so nothing deleted meanwhile is left behind.
/// </summary>
public sealed partial class ResourceWatcher<TEntity, TKept>(
    ResourceSource<TEntity> source,
    IResourceCache<TEntity, TKept> cache,
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
                var resourceVersion = await ListIntoCacheAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Lists in pages (limit and continue, as the API concepts recommend for large collections), all
    /// from one snapshot whose resourceVersion the watch then starts from; each page is turned into
    /// what the cache keeps as it arrives, so no more than one page of full objects is held. An
    /// expired continue token (410) fails the list and the caller lists again from the start.
    /// </summary>
    private async Task<string> ListIntoCacheAsync(CancellationToken cancellationToken)
    {
        var kept = new List<TKept>();
        string? continueToken = null;
        string? resourceVersion = null;
        do
        {
            var (items, metadata) = await source.ListPage(continueToken, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                kept.Add(cache.Keep(item));
            }

            resourceVersion ??= metadata.ResourceVersion;
            continueToken = string.IsNullOrEmpty(metadata.ContinueProperty) ? null : metadata.ContinueProperty;
        }
        while (continueToken is not null);

        // Without a resourceVersion no watch can follow: the list fails before the cache takes it.
        var version = resourceVersion ?? throw new InvalidOperationException($"the list of {source.Description} has no resourceVersion");
        cache.Replace(source.Namespace, kept);
        onSynced();
        LogSynced(logger, source.Description, kept.Count, version);
        return version;
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
                        cache.Upsert(cache.Keep(item));
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

    [LoggerMessage(EventId = EventIds.ViewSynced, EventName = nameof(EventIds.ViewSynced), Level = LogLevel.Debug,
        Message = "Listed {Resource}: {Count} item(s) at resourceVersion {ResourceVersion}")]
    private static partial void LogSynced(ILogger logger, string resource, int count, string resourceVersion);

    [LoggerMessage(EventId = EventIds.WatchExpired, EventName = nameof(EventIds.WatchExpired), Level = LogLevel.Information,
        Message = "Watch of {Resource} expired at resourceVersion {ResourceVersion} (410 Gone); listing again")]
    private static partial void LogExpired(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(EventId = EventIds.WatchFailed, EventName = nameof(EventIds.WatchFailed), Level = LogLevel.Warning,
        Message = "Listing or watching {Resource} failed; retrying in {Delay}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string resource, TimeSpan delay);
}
