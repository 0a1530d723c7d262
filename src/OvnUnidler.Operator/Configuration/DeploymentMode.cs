namespace OvnUnidler.Operator.Configuration;

public enum DeploymentMode
{
    /// <summary>One Southbound for the cluster; replicas elect a leader through a Lease and only it acts.</summary>
    Central,

    /// <summary>OVN interconnect: one instance per node against the node's own NB and SB, no leader election.</summary>
    PerZone,
}
