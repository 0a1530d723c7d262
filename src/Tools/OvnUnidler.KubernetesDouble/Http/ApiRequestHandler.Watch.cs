using System.Globalization;
using Microsoft.AspNetCore.Http;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Selection;
using OvnUnidler.KubernetesDouble.Watch;

namespace OvnUnidler.KubernetesDouble.Http;

internal sealed partial class ApiRequestHandler
{
    // resourceVersion unset or "0": synthetic ADDED for what exists, then changes; a
    // resourceVersion X: every change after X, or (when the history no longer reaches X) one
    // ERROR event with a 410 Expired Status, then the end of the stream.
    private async Task WatchAsync(HttpContext context, ApiTarget target, Action<int> record)
    {
        var type = target.Type!;
        var (query, error) = ListQueryParser.Parse(context.Request.Query);
        if (error is null && target.Name is not null)
        {
            // A watch on one object is a watch on its collection with a name field selector.
            FieldSelector.TryParse(
                $"metadata.name={target.Name}" + (query!.FieldSelector.IsEmpty ? "" : "," + context.Request.Query["fieldSelector"]),
                out var byName,
                out _);
            query = query with { FieldSelector = byName };
        }

        error ??= ResourceRegistry.CheckFieldSelector(type, query!.FieldSelector);
        long? from = null;
        var requested = query?.ResourceVersion;
        if (error is null && !string.IsNullOrEmpty(requested) && requested != "0" && !query!.SendInitialEvents)
        {
            if (long.TryParse(requested, CultureInfo.InvariantCulture, out var parsed))
            {
                from = parsed;
            }
            else
            {
                error = ApiError.BadRequest($"invalid resource version: {requested}");
            }
        }

        if (error is null && query!.SendInitialEvents && !query.AllowWatchBookmarks)
        {
            error = ApiError.UnprocessableEntity("sendInitialEvents is forbidden for watch unless allowWatchBookmarks=true");
        }

        if (error is not null)
        {
            await WriteAsync(context.Response, error).ConfigureAwait(false);
            record(error.Code);
            return;
        }

        var storageKey = registry.Converter.StorageTypeOf(type).StorageKey;
        var subscription = new WatchSubscription(storageKey, target.Namespace, query!.LabelSelector, query.FieldSelector, from, query.SendInitialEvents);
        var expired = registry.Store.Subscribe(subscription, from, target.Namespace);
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var timeout = query.Timeout is { } limit ? new CancellationTokenSource(limit, time) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(stream.Token, timeout.Token);
        watches.Register(stream);
        try
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.Headers.CacheControl = "no-cache, private";
            await response.StartAsync(stream.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(stream.Token).ConfigureAwait(false);
            record(200);
            if (expired is not null)
            {
                var errorEvent = new WatchEvent(WatchEventTypes.Error, null, 0, expired);
                await response.Body.WriteAsync(watchWriter.Serialize(type, errorEvent), stream.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(stream.Token).ConfigureAwait(false);
                return;
            }

            await watchWriter.RunAsync(response.Body, type, subscription, query.AllowWatchBookmarks, (linked ?? stream).Token, TableRequestOf(context.Request)).ConfigureAwait(false);
        }
        finally
        {
            watches.Unregister(stream);
            registry.Store.Unsubscribe(subscription);
            subscription.Complete();
        }
    }
}
