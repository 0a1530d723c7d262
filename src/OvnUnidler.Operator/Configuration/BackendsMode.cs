namespace OvnUnidler.Operator.Configuration;

public enum BackendsMode
{
    /// <summary>The CNI (ovn-kubernetes) writes backends from ready endpoints; wait until the VIP has them.</summary>
    Observe,

    /// <summary>Plain OVN: write the ready endpoints into the NB Load_Balancer ourselves.</summary>
    Write,
}
