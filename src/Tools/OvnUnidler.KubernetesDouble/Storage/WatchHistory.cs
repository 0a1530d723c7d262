namespace OvnUnidler.KubernetesDouble.Storage;

// The last N changes, like the API server's watch cache. A watch or a consistent list from a
// resourceVersion older than what is kept gets 410 Gone (API concepts, "Efficient detection of
// changes": "the server will only preserve a historical record of changes for a limited time").
internal sealed class WatchHistory(int capacity, long initialResourceVersion)
{
    private readonly Queue<StoreChange> changes = new();

    // Every change with a resourceVersion above this one is still in the history.
    public long CompactedThrough { get; private set; } = initialResourceVersion;

    public void Add(StoreChange change)
    {
        changes.Enqueue(change);
        while (changes.Count > capacity)
        {
            CompactedThrough = changes.Dequeue().ResourceVersion;
        }
    }

    public bool Covers(long resourceVersion) => resourceVersion >= CompactedThrough;

    public IEnumerable<StoreChange> After(long resourceVersion) =>
        changes.Where(change => change.ResourceVersion > resourceVersion);

    public void Compact(long throughResourceVersion)
    {
        changes.Clear();
        CompactedThrough = throughResourceVersion;
    }
}
