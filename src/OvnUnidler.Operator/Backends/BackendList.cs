using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Backends;

/// <summary>Turns ready endpoints into the backend list of one VIP, in ovn-nb(5) Load_Balancer vips syntax.</summary>
public static class BackendList
{
    /// <summary>
    /// The Service port the VIP serves (by port, or node port), then each endpoint's port of the same
    /// name; the target port when the slice names none. A VIP without a port takes bare addresses.
    /// </summary>
    public static string For(V1Service service, BackendTarget target, IReadOnlyList<ReadyEndpoint> endpoints)
    {
        var family = target.Vip.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var sameFamily = endpoints.Where(endpoint => IPAddress.TryParse(endpoint.Address, out var address) && address.AddressFamily == family);
        if (target.Vip.Port is not { } vipPort)
        {
            return string.Join(',', sameFamily.Select(endpoint => endpoint.Address).Distinct());
        }

        var servicePort = (service.Spec?.Ports ?? []).FirstOrDefault(port =>
            (port.Port == vipPort || port.NodePort == vipPort)
            && TransportProtocols.TryParse(port.Protocol ?? "TCP", out var protocol) && protocol == target.Protocol);
        if (servicePort is null)
        {
            return string.Empty;
        }

        var fallbackPort = servicePort.TargetPort?.Value is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric)
            ? numeric
            : servicePort.Port;
        return string.Join(',', sameFamily
            .Select(endpoint => Format(endpoint.Address, endpoint.Ports.GetValueOrDefault(servicePort.Name ?? string.Empty, fallbackPort), family))
            .Distinct());
    }

    /// <summary>
    /// True when the Service has a port for the VIP (or the VIP has none), i.e. <see cref="For"/>
    /// can say what the VIP's backends should be; false for a VIP this Service does not describe.
    /// </summary>
    public static bool Serves(V1Service service, BackendTarget target) =>
        target.Vip.Port is not { } vipPort
        || (service.Spec?.Ports ?? []).Any(port =>
            (port.Port == vipPort || port.NodePort == vipPort)
            && TransportProtocols.TryParse(port.Protocol ?? "TCP", out var protocol) && protocol == target.Protocol);

    /// <summary>The backends of one VIP's value in vips ("" for none).</summary>
    public static string[] Entries(string backends) =>
        backends.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Format(string address, int port, AddressFamily family) => family == AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
        : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
}
