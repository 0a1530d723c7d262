using System.Globalization;
using System.Net;
using k8s.Models;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Holding;

/// <summary>A Service's ports as a hold sees them, and the only destinations a held port may be handed to.</summary>
public static class HeldServicePorts
{
    /// <summary>Its TCP and UDP ports (SCTP is not held), each with its spec.</summary>
    public static IReadOnlyList<(HeldPort Port, V1ServicePort Spec)> Of(V1Service service) =>
        [.. (service.Spec?.Ports ?? []).Select(spec => (Protocol: Protocol(spec), Spec: spec))
            .Where(port => port.Protocol is not null)
            .Select(port => (new HeldPort(port.Spec.Name ?? string.Empty, port.Protocol!.Value), port.Spec))];

    /// <summary>
    /// The listener port each held port prefers in mode observe: its targetPort when that is a number
    /// (unset, the port itself, as the API defaults it), so the holder's EndpointSlice declares the
    /// number the pods' slices declare. A named targetPort has none (the number is the pods', known
    /// only from their slices). <paramref name="ownTcpPort"/> (the operator's Http:Port) is never
    /// preferred for TCP: the holder could not listen there.
    /// </summary>
    public static IReadOnlyDictionary<HeldPort, int> PreferredListenerPorts(V1Service service, int ownTcpPort)
    {
        var preferred = new Dictionary<HeldPort, int>();
        foreach (var (port, spec) in Of(service))
        {
            var target = spec.TargetPort?.Value is not { } text ? spec.Port
                : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? numeric : (int?)null;
            if (target is { } number and > 0 and <= 65535 && !(port.Protocol == HeldProtocol.Tcp && number == ownTcpPort))
            {
                preferred.TryAdd(port, number);
            }
        }

        return preferred;
    }

    /// <summary>
    /// The Service's own ready endpoints on this port's target port: the port its slices give for the
    /// port's name, else a numeric targetPort. An endpoint whose port cannot be told is left out.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> Endpoints(V1ServicePort spec, IReadOnlyList<ReadyEndpoint> ready)
    {
        int? fallback = spec.TargetPort?.Value is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? numeric : null;
        var endpoints = new List<IPEndPoint>();
        foreach (var endpoint in ready)
        {
            var port = endpoint.Ports.TryGetValue(spec.Name ?? string.Empty, out var named) ? named : fallback;
            if (port is { } number and > 0 and <= 65535 && IPAddress.TryParse(endpoint.Address, out var address))
            {
                var found = new IPEndPoint(address, number);
                if (!endpoints.Contains(found))
                {
                    endpoints.Add(found);
                }
            }
        }

        return endpoints;
    }

    /// <summary>The held port a VIP serves: the Service port whose port (or node port) and protocol are the VIP's.</summary>
    public static HeldPort? ServedBy(V1Service service, VipEndpoint vip, TransportProtocol protocol)
    {
        foreach (var (port, spec) in Of(service))
        {
            if (vip.Port is { } number && (spec.Port == number || spec.NodePort == number) && Matches(port.Protocol, protocol))
            {
                return port;
            }
        }

        return null;
    }

    private static bool Matches(HeldProtocol held, TransportProtocol protocol) =>
        (held, protocol) is (HeldProtocol.Tcp, TransportProtocol.Tcp) or (HeldProtocol.Udp, TransportProtocol.Udp);

    private static HeldProtocol? Protocol(V1ServicePort spec) => (spec.Protocol ?? "TCP").ToUpperInvariant() switch
    {
        "TCP" => HeldProtocol.Tcp,
        "UDP" => HeldProtocol.Udp,
        _ => null,
    };
}
