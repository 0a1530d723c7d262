using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Idling.Api;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Resilience;

namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// Watches one custom resource type cluster-wide and calls its controller for each change through
/// a <see cref="ReconcileQueue{TKey,TWork}"/>: one reconcile per object at a time, changes that
/// arrive meanwhile collapse into one more reconcile of the latest state, with requeue on request
/// and backoff on failure (KubeOps' ResourceWatcher + queue, reduced to what one entity needs).
/// </summary>
public sealed partial class EntityControllerRunner<TEntity>(
    IKubernetes client,
    IEntityController<TEntity> controller,
    ControllerLeadership leadership,
    IEnumerable<IEntityCache<TEntity>> caches,
    CustomResourceAvailability<TEntity> availability,
    TimeProvider timeProvider,
    ILogger<EntityControllerRunner<TEntity>> logger) : BackgroundService
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private readonly KubernetesEntityAttribute entity =
        (KubernetesEntityAttribute?)Attribute.GetCustomAttribute(typeof(TEntity), typeof(KubernetesEntityAttribute))
        ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no [KubernetesEntity]");

    private readonly ReconcileQueue<(string?, string), (TEntity Item, bool Deleted, CancellationToken Token)> queue = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Losing the controllers' Lease only pauses reconciling; campaign again until shutdown.
        while (!stoppingToken.IsCancellationRequested)
        {
            await leadership.Lease.RunWhileLeadingAsync(WatchAndReconcileAsync, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task WatchAndReconcileAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ListAndWatchAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // Leadership lost or shutting down: nothing keeps the caches current any more.
            Invalidate();
        }
    }

    private async Task ListAndWatchAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Without the CRD there is nothing to list; its probe says when there is.
                await availability.WhenServedAsync(stoppingToken).ConfigureAwait(false);
                var list = await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<CustomResourceList<TEntity>>(
                    entity.Group, entity.ApiVersion, entity.PluralName, cancellationToken: stoppingToken).ConfigureAwait(false);
                foreach (var cache in caches)
                {
                    cache.Replace([.. list.Items]);
                }

                foreach (var item in list.Items)
                {
                    Enqueue(item, deleted: false, stoppingToken);
                }

                var resourceVersion = list.Metadata?.ResourceVersion;
                var watch = client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                    entity.Group, entity.ApiVersion, entity.PluralName, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                    timeoutSeconds: 300, cancellationToken: stoppingToken);
                await foreach (var (type, item) in watch.ConfigureAwait(false))
                {
                    if (type is (WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted) && item is JsonElement json)
                    {
                        var changed = KubernetesJson.Deserialize<TEntity>(json.GetRawText());
                        foreach (var cache in caches)
                        {
                            if (type == WatchEventType.Deleted)
                            {
                                cache.Remove(changed);
                            }
                            else
                            {
                                cache.Upsert(changed);
                            }
                        }

                        Enqueue(changed, type == WatchEventType.Deleted, stoppingToken);
                    }
                }

                // The watch ended (its timeout, or the server closed it): changes until the next list are unseen.
                Invalidate();
                backoff.Reset();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // The CRD was removed: wait, as at start, until the probe finds it installed again.
                Invalidate();
                availability.Report(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && ApiFailure.From(exception) is not null)
            {
                Invalidate();
                var delay = backoff.Next();
                LogWatchFailed(logger, exception, entity.PluralName, delay);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Invalidate()
    {
        foreach (var cache in caches)
        {
            cache.Invalidate();
        }
    }

    private void Enqueue(TEntity item, bool deleted, CancellationToken stoppingToken)
    {
        var key = (item.Metadata.NamespaceProperty, item.Metadata.Name);
        if (queue.Add(key, (item, deleted, stoppingToken)))
        {
            _ = DrainAsync(key);
        }
    }

    // Each work item carries the token of the leadership term that queued it: a worker started in
    // an earlier term may still be draining the key when the next term adds work for it.
    private async Task DrainAsync((string?, string) key)
    {
        while (queue.TryTake(key, out var work))
        {
            await ReconcileAsync(work.Item, work.Deleted, work.Token).ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(TEntity item, bool deleted, CancellationToken stoppingToken)
    {
        var name = $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";
        try
        {
            var result = deleted
                ? await controller.DeletedAsync(item, stoppingToken).ConfigureAwait(false)
                : await controller.ReconcileAsync(item, stoppingToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                LogReconcileFailed(logger, entity.Kind, name, result.ErrorMessage);
            }

            if (result.RequeueAfter is { } delay && !deleted)
            {
                _ = RequeueAsync(item, delay, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogReconcileFailed(logger, entity.Kind, name, exception.Message);
            _ = RequeueAsync(item, TimeSpan.FromSeconds(5), stoppingToken);
        }
    }

    // A requeue whose read fails for a reason that passes (connection, 5xx, timeout) is tried again,
    // not dropped: nothing else would bring the object back before the next watch event.
    private async Task RequeueAsync(TEntity item, TimeSpan delay, CancellationToken stoppingToken)
    {
        var name = $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                var fresh = await client.CustomObjects.GetNamespacedCustomObjectAsync<TEntity>(
                    entity.Group, entity.ApiVersion, item.Metadata.NamespaceProperty, entity.PluralName, item.Metadata.Name,
                    cancellationToken: stoppingToken).ConfigureAwait(false);
                Enqueue(fresh, deleted: false, stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && ApiFailure.From(exception) is { } failure)
            {
                delay = backoff.Next();
                LogReconcileFailed(logger, entity.Kind, name, $"reading it again to requeue it failed ({failure.Reason}); trying again in {delay}");
            }
        }
    }

    [LoggerMessage(EventId = EventIds.IdlerReconcileFailed, EventName = nameof(EventIds.IdlerReconcileFailed), Level = LogLevel.Warning,
        Message = "Reconciling {Kind} {Name} failed: {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string kind, string name, string? reason);

    [LoggerMessage(EventId = EventIds.WatchFailed, EventName = nameof(EventIds.WatchFailed), Level = LogLevel.Warning,
        Message = "Watching {Plural} failed; retrying in {Delay}")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string plural, TimeSpan delay);
}
