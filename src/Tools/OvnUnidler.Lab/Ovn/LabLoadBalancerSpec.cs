namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// An OVN_Northbound Load_Balancer as a CMS creates it for an idled Service: VIPs with no
/// backends and options:event=true, so the first packet to a VIP raises an empty_lb_backends
/// Controller_Event (ovn-nb(5), Load_Balancer options:event).
/// </summary>
public sealed class LabLoadBalancerSpec
{
    public required string Name { get; init; }

    /// <summary>As OVN keys them: "10.96.0.10:80", "[fd00::10]:80"; each starts with no backends.</summary>
    public required IReadOnlyList<string> Vips { get; init; }

    public LabProtocol Protocol { get; init; } = LabProtocol.Tcp;

    /// <summary>Logical switches the load balancer is attached to (their load_balancer column).</summary>
    public IReadOnlyList<string> Switches { get; init; } = [];

    /// <summary>Logical routers the load balancer is attached to (ovn-kubernetes attaches some Service load balancers to gateway routers).</summary>
    public IReadOnlyList<string> Routers { get; init; } = [];

    public IReadOnlyDictionary<string, string> ExternalIds { get; init; } = new Dictionary<string, string>();

    /// <summary>options:event=true; false makes a plain load balancer that raises nothing.</summary>
    public bool Event { get; init; } = true;

    /// <summary>One ovn-nbctl transaction that creates the load balancer and attaches it; it prints the new row's _uuid.</summary>
    internal IReadOnlyList<string> CreateArguments()
    {
        var arguments = new List<string>
        {
            "--id=@lb", "create", "Load_Balancer", $"name={CtlSyntax.Quote(Name)}", $"protocol={Protocol.ToOvn()}",
        };
        arguments.AddRange(Vips.Select(vip => CtlSyntax.MapEntry("vips", vip, string.Empty)));
        if (Event)
        {
            arguments.Add(CtlSyntax.MapEntry("options", "event", "true"));
        }

        arguments.AddRange(ExternalIds.Select(pair => CtlSyntax.MapEntry("external_ids", pair.Key, pair.Value)));
        foreach (var logicalSwitch in Switches)
        {
            arguments.AddRange(["--", "add", "Logical_Switch", logicalSwitch, "load_balancer", "@lb"]);
        }

        foreach (var router in Routers)
        {
            arguments.AddRange(["--", "add", "Logical_Router", router, "load_balancer", "@lb"]);
        }

        return arguments;
    }

    /// <summary>The external_ids ovn-kubernetes writes on a Service's load balancer, which the operator maps back to the Service.</summary>
    public static IReadOnlyDictionary<string, string> ServiceExternalIds(string serviceNamespace, string serviceName) =>
        new Dictionary<string, string>
        {
            ["k8s.ovn.org/kind"] = "Service",
            ["k8s.ovn.org/owner"] = $"{serviceNamespace}/{serviceName}",
        };
}
