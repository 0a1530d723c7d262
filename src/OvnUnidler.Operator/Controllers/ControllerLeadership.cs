using OvnUnidler.Operator.LeaderElection;

namespace OvnUnidler.Operator.Controllers;

/// <summary>The Lease under which custom-resource controllers reconcile (see <see cref="LeaseLeadership.ForControllers"/>).</summary>
public sealed class ControllerLeadership(ILeadership lease)
{
    public ILeadership Lease { get; } = lease;
}
