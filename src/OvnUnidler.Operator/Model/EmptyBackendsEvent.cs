namespace OvnUnidler.Operator.Model;

/// <summary>A Controller_Event whose event_info parsed: the VIP that had no backends and its NB load balancer.</summary>
public sealed record EmptyBackendsEvent(ControllerEvent Row, VipEndpoint Vip, TransportProtocol Protocol, Guid? LoadBalancer)
{
    public Guid RowUuid => Row.RowUuid;
}
