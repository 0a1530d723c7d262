using System.Diagnostics.CodeAnalysis;

namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// The controller's work queue: at most one piece of work waits per key, and one worker per key
/// drains it. Watch events for a key that arrive while its work waits, or while it is being
/// reconciled, replace the waiting work instead of adding more, so a burst of changes to one
/// object costs one more reconcile, of its latest state (controller-runtime's workqueue keeps
/// the same dirty and processing sets).
/// </summary>
public sealed class ReconcileQueue<TKey, TWork>
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, TWork> waiting = [];
    private readonly HashSet<TKey> draining = [];

    /// <summary>Keys with work waiting.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return waiting.Count;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="work"/> for <paramref name="key"/>, replacing work still waiting for it.
    /// True when no worker drains the key: the caller must start one, calling <see cref="TryTake"/>
    /// until it returns false.
    /// </summary>
    public bool Add(TKey key, TWork work)
    {
        lock (gate)
        {
            waiting[key] = work;
            return draining.Add(key);
        }
    }

    /// <summary>The key's next work; false when none waits, which also ends the worker's turn.</summary>
    public bool TryTake(TKey key, [MaybeNullWhen(false)] out TWork work)
    {
        lock (gate)
        {
            if (waiting.Remove(key, out work))
            {
                return true;
            }

            draining.Remove(key);
            return false;
        }
    }
}
