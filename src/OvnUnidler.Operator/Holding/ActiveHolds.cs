using System.Collections.Concurrent;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Holding;

/// <summary>The holds under way in this process, by Service, with a signal on every start and end.</summary>
public sealed class ActiveHolds
{
    private readonly ConcurrentDictionary<ServiceKey, ActiveHold> holds = new();
    private readonly ChangeSignal changed = new();

    public Task NextChange => changed.NextChange;

    public int Count => holds.Count;

    public IEnumerable<ActiveHold> All => holds.Values;

    public bool TryGet(ServiceKey service, out ActiveHold hold) => holds.TryGetValue(service, out hold!);

    public bool TryAdd(ActiveHold hold)
    {
        if (!holds.TryAdd(hold.Key, hold))
        {
            return false;
        }

        changed.Raise();
        return true;
    }

    public bool Remove(ActiveHold hold)
    {
        if (!holds.TryRemove(new KeyValuePair<ServiceKey, ActiveHold>(hold.Key, hold)))
        {
            return false;
        }

        changed.Raise();
        return true;
    }
}
