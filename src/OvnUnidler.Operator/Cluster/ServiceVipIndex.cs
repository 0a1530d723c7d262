using System.Net;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// VIP -> Service, from the Services the Kubernetes view watches. Written by the watch loop,
/// read by the mapper; a lock keeps both O(1) per lookup and per port changed.
/// </summary>
public sealed class ServiceVipIndex
{
    private readonly Lock gate = new();
    private readonly Dictionary<(IPAddress Address, int Port, TransportProtocol Protocol), (ServiceKey Service, MatchedBy Kind)> byAddressAndPort = [];
    private readonly Dictionary<IPAddress, (ServiceKey Service, MatchedBy Kind)> byAddress = [];
    private readonly Dictionary<(int Port, TransportProtocol Protocol), ServiceKey> byNodePort = [];
    private readonly Dictionary<ServiceKey, IReadOnlyList<ServiceFrontend>> frontendsByService = [];

    public int Count
    {
        get
        {
            lock (gate)
            {
                return frontendsByService.Count;
            }
        }
    }

    public void Upsert(ServiceKey service, IReadOnlyList<ServiceFrontend> frontends)
    {
        lock (gate)
        {
            RemoveLocked(service);
            frontendsByService[service] = frontends;
            foreach (var frontend in frontends)
            {
                if (frontend.Address is { } address)
                {
                    byAddressAndPort[(address, frontend.Port, frontend.Protocol)] = (service, frontend.Kind);
                    byAddress.TryAdd(address, (service, frontend.Kind));
                }
                else
                {
                    byNodePort[(frontend.Port, frontend.Protocol)] = service;
                }
            }
        }
    }

    public void Remove(ServiceKey service)
    {
        lock (gate)
        {
            RemoveLocked(service);
        }
    }

    public bool TryResolve(VipEndpoint vip, TransportProtocol protocol, out ServiceKey service, out MatchedBy matchedBy)
    {
        lock (gate)
        {
            if (vip.Port is { } port)
            {
                if (byAddressAndPort.TryGetValue((vip.Address, port, protocol), out var exact))
                {
                    (service, matchedBy) = exact;
                    return true;
                }

                // A node-port VIP is NODE_IP:NODE_PORT on every node; node addresses are not Service fields.
                if (byNodePort.TryGetValue((port, protocol), out service))
                {
                    matchedBy = MatchedBy.NodePort;
                    return true;
                }
            }
            else if (byAddress.TryGetValue(vip.Address, out var byIp))
            {
                // A VIP without a port balances every port of the address.
                (service, matchedBy) = byIp;
                return true;
            }

            service = default;
            matchedBy = default;
            return false;
        }
    }

    private void RemoveLocked(ServiceKey service)
    {
        if (!frontendsByService.Remove(service, out var old))
        {
            return;
        }

        foreach (var frontend in old)
        {
            if (frontend.Address is { } address)
            {
                if (byAddressAndPort.TryGetValue((address, frontend.Port, frontend.Protocol), out var owner) && owner.Service == service)
                {
                    byAddressAndPort.Remove((address, frontend.Port, frontend.Protocol));
                }

                if (byAddress.TryGetValue(address, out var ipOwner) && ipOwner.Service == service)
                {
                    byAddress.Remove(address);
                }
            }
            else if (byNodePort.TryGetValue((frontend.Port, frontend.Protocol), out var nodePortOwner) && nodePortOwner == service)
            {
                byNodePort.Remove((frontend.Port, frontend.Protocol));
            }
        }
    }
}
