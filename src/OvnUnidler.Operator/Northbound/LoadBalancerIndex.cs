using System.Collections.Concurrent;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Northbound;

/// <summary>NB Load_Balancer rows by uuid, fed by the Northbound monitor.</summary>
public sealed class LoadBalancerIndex
{
    private readonly ConcurrentDictionary<Guid, LoadBalancerInfo> rows = new();
    private readonly ChangeSignal changed = new();

    public int Count => rows.Count;

    public IEnumerable<LoadBalancerInfo> All => rows.Values;

    public bool TryGet(Guid uuid, out LoadBalancerInfo info) => rows.TryGetValue(uuid, out info!);

    public IEnumerable<LoadBalancerInfo> OwnedBy(ServiceKey service) =>
        rows.Values.Where(row => row.Owner == service);

    public void Upsert(LoadBalancerInfo info)
    {
        rows[info.Uuid] = info;
        changed.Raise();
    }

    public void Remove(Guid uuid)
    {
        rows.TryRemove(uuid, out _);
        changed.Raise();
    }

    /// <summary>Completes at the next change; lets the backend gate wait without polling.</summary>
    public Task NextChange => changed.NextChange;
}
