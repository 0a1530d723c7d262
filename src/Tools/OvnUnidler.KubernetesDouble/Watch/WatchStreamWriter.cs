using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;
using OvnUnidler.KubernetesDouble.Tables;

namespace OvnUnidler.KubernetesDouble.Watch;

// Streams a watch as the API server does: HTTP 200 at once, then one JSON object per line
// ({"type":..,"object":..}) flushed as it happens, periodic BOOKMARKs when asked for, until
// timeoutSeconds, the client leaving, or the stream being cut.
internal sealed class WatchStreamWriter(ResourceRegistry registry, TimeProvider time, TimeSpan bookmarkInterval)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task RunAsync(Stream body, ResourceType type, WatchSubscription subscription, bool bookmarks, CancellationToken cancellationToken, TableRequest? table = null)
    {
        var tableColumnsSent = false;
        var reader = subscription.Events;
        Task<bool>? pendingRead = null;
        Task? bookmarkTimer = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wrote = false;
                while (reader.TryRead(out var watchEvent))
                {
                    // As Tables, only the first row carries the column definitions (kubectl get -w prints the header once).
                    await body.WriteAsync(Serialize(type, watchEvent, table, withColumns: !tableColumnsSent), cancellationToken).ConfigureAwait(false);
                    tableColumnsSent |= table is not null && watchEvent.Object is not null;
                    wrote = true;
                    if (watchEvent.Type == WatchEventTypes.Error)
                    {
                        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }

                if (wrote)
                {
                    await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                pendingRead ??= reader.WaitToReadAsync(cancellationToken).AsTask();
                if (bookmarks)
                {
                    bookmarkTimer ??= Task.Delay(bookmarkInterval, time, cancellationToken);
                    if (await Task.WhenAny(pendingRead, bookmarkTimer).ConfigureAwait(false) == bookmarkTimer)
                    {
                        bookmarkTimer = null;
                        if (!cancellationToken.IsCancellationRequested)
                        {
                            // Queued behind every event already sent to this watcher.
                            registry.Store.Bookmark(subscription);
                        }

                        continue;
                    }
                }

                if (!await pendingRead.ConfigureAwait(false))
                {
                    return;
                }

                pendingRead = null;
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed, the client went away, or the stream was cut.
        }
        catch (IOException)
        {
            // The client closed the connection mid-write.
        }
    }

    public byte[] Serialize(ResourceType type, WatchEvent watchEvent, TableRequest? table = null, bool withColumns = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", watchEvent.Type);
            writer.WritePropertyName("object");
            if (watchEvent.Error is { } error)
            {
                error.ToStatus().WriteTo(writer);
            }
            else if (watchEvent.Object is { } row && table is not null)
            {
                TableWriter.Write(type, [registry.Load(type, row)], new JsonObject { ["resourceVersion"] = SystemFields.Format(row.ResourceVersion) }, table, time.GetUtcNow(), withColumns)
                    .WriteTo(writer);
            }
            else if (watchEvent.Object is { } stored)
            {
                writer.WriteRawValue(registry.Converter.Render(type, stored), skipInputValidation: true);
            }
            else
            {
                // A bookmark carries only the resourceVersion (API concepts, "Watch bookmarks").
                writer.WriteStartObject();
                writer.WriteString("kind", type.Kind);
                writer.WriteString("apiVersion", type.ApiVersion);
                writer.WriteStartObject("metadata");
                writer.WriteString("resourceVersion", SystemFields.Format(watchEvent.ResourceVersion));
                if (watchEvent.InitialEventsEnd)
                {
                    writer.WriteStartObject("annotations");
                    writer.WriteString("k8s.io/initial-events-end", "true");
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        buffer.Write(NewLine);
        return buffer.WrittenSpan.ToArray();
    }
}
