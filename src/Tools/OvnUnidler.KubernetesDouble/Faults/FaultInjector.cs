using OvnUnidler.KubernetesDouble.Storage;
using OvnUnidler.KubernetesDouble.Watch;

namespace OvnUnidler.KubernetesDouble.Faults;

// Faults applied before normal handling, first matching rule in the order they were added.
// Also cuts watch streams and forgets watch history, the two ways an API server restart or an
// etcd compaction shows itself to a client.
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly List<FaultRule> rules = [];
    private readonly TimeProvider time;
    private readonly WatchHub watches;
    private readonly ObjectStore store;

    internal FaultInjector(TimeProvider time, WatchHub watches, ObjectStore store)
    {
        this.time = time;
        this.watches = watches;
        this.store = store;
    }

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (gate)
            {
                return rules.ToList();
            }
        }
    }

    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (gate)
        {
            rules.Add(rule);
        }

        return rule;
    }

    // Removing a rule also releases the requests it holds hung.
    public bool Remove(FaultRule rule)
    {
        bool found;
        lock (gate)
        {
            found = rules.Remove(rule);
        }

        rule.Release();
        return found;
    }

    public void Clear()
    {
        List<FaultRule> removed;
        lock (gate)
        {
            removed = rules.ToList();
            rules.Clear();
        }

        removed.ForEach(rule => rule.Release());
    }

    // Ends every open watch stream, as when the API server restarts; returns how many.
    public int DropWatchConnections() => watches.DropAll();

    // Forgets the watch history, as an etcd compaction does: a watch or a paginated list that
    // resumes from a resourceVersion older than now gets 410 Gone (reason Expired).
    public void ExpireWatchHistory() => store.Compact();

    internal FaultRule? Match(string verb, string group, string resource, string? subresource, string? @namespace, string? name)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            rules.RemoveAll(rule => rule.IsSpent(now));
            foreach (var rule in rules)
            {
                if (rule.Matches(verb, group, resource, subresource, @namespace, name) && rule.TryConsume(now))
                {
                    return rule;
                }
            }
        }

        return null;
    }
}
