namespace OvnUnidler.Operator.Tests.Harness;

public sealed record EventRow(string EventType, long SeqNum, Guid? Chassis, IReadOnlyDictionary<string, string> EventInfo)
{
    public static EventRow For(string vip, string protocol = "tcp", Guid? loadBalancer = null, Guid? chassis = null, long seqNum = 1)
    {
        var info = new Dictionary<string, string> { ["vip"] = vip, ["protocol"] = protocol };
        if (loadBalancer is { } lb)
        {
            info["load_balancer"] = lb.ToString();
        }

        return new EventRow("empty_lb_backends", seqNum, chassis, info);
    }
}
