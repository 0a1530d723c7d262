using OvnUnidler.Entities;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// Which Idlers name which Service, from the Idler controller's own list and watch. A wake records
/// itself in the status of the Service's Idlers; most Services have none, and this index lets the
/// wake say so without asking the API server each time. While the watch is not live it answers
/// nothing, and callers ask the API server.
/// </summary>
public sealed class IdlerIndex : IEntityCache<V1Alpha1Idler>
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Namespace, string Name), string> serviceOfIdler = [];
    private readonly Dictionary<ServiceKey, int> idlersOfService = [];
    private bool current;

    /// <summary>False when the index is not current; otherwise whether any Idler names <paramref name="service"/>.</summary>
    public bool TryHasIdlers(ServiceKey service, out bool hasIdlers)
    {
        lock (gate)
        {
            hasIdlers = current && idlersOfService.ContainsKey(service);
            return current;
        }
    }

    public void Replace(IReadOnlyCollection<V1Alpha1Idler> items)
    {
        lock (gate)
        {
            serviceOfIdler.Clear();
            idlersOfService.Clear();
            foreach (var item in items)
            {
                Add(item);
            }

            current = true;
        }
    }

    public void Upsert(V1Alpha1Idler item)
    {
        lock (gate)
        {
            Forget(KeyOf(item));
            Add(item);
        }
    }

    public void Remove(V1Alpha1Idler item)
    {
        lock (gate)
        {
            Forget(KeyOf(item));
        }
    }

    public void Invalidate()
    {
        lock (gate)
        {
            current = false;
        }
    }

    private void Add(V1Alpha1Idler item)
    {
        if (item.Spec?.ServiceName is not { Length: > 0 } serviceName)
        {
            return;
        }

        var key = KeyOf(item);
        serviceOfIdler[key] = serviceName;
        var service = new ServiceKey(key.Namespace, serviceName);
        idlersOfService[service] = idlersOfService.GetValueOrDefault(service) + 1;
    }

    private void Forget((string Namespace, string Name) key)
    {
        if (!serviceOfIdler.Remove(key, out var serviceName))
        {
            return;
        }

        var service = new ServiceKey(key.Namespace, serviceName);
        if (idlersOfService[service] == 1)
        {
            idlersOfService.Remove(service);
        }
        else
        {
            idlersOfService[service]--;
        }
    }

    private static (string Namespace, string Name) KeyOf(V1Alpha1Idler item) => (item.Metadata.NamespaceProperty ?? "default", item.Metadata.Name);
}
