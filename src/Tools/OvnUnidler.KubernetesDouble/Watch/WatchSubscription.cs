using System.Threading.Channels;
using OvnUnidler.KubernetesDouble.Selection;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Watch;

// One watcher's view of the store's changes, filtered by namespace and selectors. An object
// that starts matching a selector arrives as ADDED and one that stops matching as DELETED
// (the watch event types' documented meaning). Events queue without bound: the store's lock
// never waits for a slow client.
internal sealed class WatchSubscription(
    string storageKey,
    string? @namespace,
    LabelSelector labelSelector,
    FieldSelector fieldSelector,
    long? afterResourceVersion,
    bool initialEventsEndBookmark) : IChangeSubscriber
{
    private readonly Channel<WatchEvent> events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    public string? StorageKey => storageKey;

    public ChannelReader<WatchEvent> Events => events.Reader;

    public void OnChange(StoreChange change)
    {
        // A watch from a resourceVersion beyond the current one only sees later changes.
        if (afterResourceVersion is { } after && change.ResourceVersion <= after)
        {
            return;
        }

        var matchesNow = Matches(change.Object);
        var matchedBefore = change.Previous is { } previous && Matches(previous);
        var type = change.Type switch
        {
            StoreChangeType.Added => matchesNow ? WatchEventTypes.Added : null,
            StoreChangeType.Modified when matchesNow && matchedBefore => WatchEventTypes.Modified,
            StoreChangeType.Modified when matchesNow => WatchEventTypes.Added,
            StoreChangeType.Modified when matchedBefore => WatchEventTypes.Deleted,
            StoreChangeType.Deleted => matchedBefore ? WatchEventTypes.Deleted : null,
            _ => null,
        };
        if (type is not null)
        {
            events.Writer.TryWrite(new WatchEvent(type, change.Object, change.ResourceVersion));
        }
    }

    public void OnBookmark(long resourceVersion) => events.Writer.TryWrite(new WatchEvent(WatchEventTypes.Bookmark, null, resourceVersion));

    public void OnInitialEventsEnd(long resourceVersion)
    {
        if (initialEventsEndBookmark)
        {
            events.Writer.TryWrite(new WatchEvent(WatchEventTypes.Bookmark, null, resourceVersion, InitialEventsEnd: true));
        }
    }

    public void Complete() => events.Writer.TryComplete();

    private bool Matches(StoredObject stored) =>
        (@namespace is null || stored.Namespace == @namespace) && labelSelector.Matches(stored.Labels) && fieldSelector.Matches(stored.Fields);
}
