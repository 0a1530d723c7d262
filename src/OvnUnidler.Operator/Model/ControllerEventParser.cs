namespace OvnUnidler.Operator.Model;

/// <summary>
/// Reads event_info of an empty_lb_backends row: keys vip, protocol and load_balancer
/// (ovn-sb(5), Controller_Event). Every defect becomes a reason, never an exception, so a bad
/// row is acknowledged with that reason and cannot block later events of the same VIP.
/// </summary>
public static class ControllerEventParser
{
    public const string EmptyLbBackends = "empty_lb_backends";
    public const string VipKey = "vip";
    public const string ProtocolKey = "protocol";
    public const string LoadBalancerKey = "load_balancer";

    public static EventParseResult Parse(ControllerEvent row)
    {
        if (!string.Equals(row.EventType, EmptyLbBackends, StringComparison.Ordinal))
        {
            return EventParseResult.Malformed(row, $"event_type '{Shorten(row.EventType)}' is not {EmptyLbBackends}");
        }

        if (!row.EventInfo.TryGetValue(VipKey, out var vipText))
        {
            return EventParseResult.Malformed(row, "event_info has no vip");
        }

        if (!VipEndpoint.TryParse(vipText, out var vip))
        {
            return EventParseResult.Malformed(row, $"event_info vip '{Shorten(vipText)}' is not IP[:PORT]");
        }

        if (!row.EventInfo.TryGetValue(ProtocolKey, out var protocolText))
        {
            return EventParseResult.Malformed(row, "event_info has no protocol");
        }

        if (!TransportProtocols.TryParse(protocolText, out var protocol))
        {
            return EventParseResult.Malformed(row, $"event_info protocol '{Shorten(protocolText)}' is not tcp, udp or sctp");
        }

        Guid? loadBalancer = null;
        if (row.EventInfo.TryGetValue(LoadBalancerKey, out var lbText))
        {
            if (!Guid.TryParse(lbText, out var lbUuid))
            {
                return EventParseResult.Malformed(row, $"event_info load_balancer '{Shorten(lbText)}' is not a uuid");
            }

            loadBalancer = lbUuid;
        }

        return EventParseResult.Valid(new EmptyBackendsEvent(row, vip, protocol, loadBalancer));
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
