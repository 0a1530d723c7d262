namespace OvnUnidler.KubernetesDouble.Storage;

// The changes a watch or a consistent list can still start from. A real server loses them two
// ways, and so does the double: its watch cache keeps only the last N changes, and etcd is
// compacted by age (the API server's --etcd-compaction-interval, 5 minutes by default: at every
// interval it compacts through the revision that was current at the previous one, so a change
// stays reachable for one to two intervals). A watch or a consistent list from a resourceVersion
// older than what is kept gets 410 Gone (API concepts, "Efficient detection of changes": "the
// server will only preserve a historical record of changes for a limited time").
internal sealed class WatchHistory(int capacity, long initialResourceVersion, TimeProvider time, TimeSpan compactionInterval)
{
    private readonly Queue<(StoreChange Change, DateTimeOffset At)> changes = new();
    private DateTimeOffset lastCompaction = time.GetUtcNow();
    private long revisionAtLastCompaction = initialResourceVersion;

    // Every change with a resourceVersion above this one is still in the history.
    public long CompactedThrough { get; private set; } = initialResourceVersion;

    public void Add(StoreChange change)
    {
        CompactByAge();
        changes.Enqueue((change, time.GetUtcNow()));
        while (changes.Count > capacity)
        {
            CompactedThrough = changes.Dequeue().Change.ResourceVersion;
        }
    }

    public bool Covers(long resourceVersion)
    {
        CompactByAge();
        return resourceVersion >= CompactedThrough;
    }

    public IEnumerable<StoreChange> After(long resourceVersion)
    {
        CompactByAge();
        return changes.Where(entry => entry.Change.ResourceVersion > resourceVersion).Select(entry => entry.Change);
    }

    public void Compact(long throughResourceVersion)
    {
        while (changes.TryPeek(out var oldest) && oldest.Change.ResourceVersion <= throughResourceVersion)
        {
            changes.Dequeue();
        }

        CompactedThrough = Math.Max(CompactedThrough, throughResourceVersion);
    }

    // Evaluated when the history is used rather than on a timer, so a test's fake clock decides
    // exactly which compactions have happened.
    private void CompactByAge()
    {
        if (compactionInterval <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        while (now >= lastCompaction + compactionInterval)
        {
            var tick = lastCompaction + compactionInterval;
            Compact(revisionAtLastCompaction);
            revisionAtLastCompaction = Math.Max(
                CompactedThrough,
                changes.Where(entry => entry.At <= tick).Select(entry => entry.Change.ResourceVersion).DefaultIfEmpty(CompactedThrough).Max());
            lastCompaction = tick;
        }
    }
}
