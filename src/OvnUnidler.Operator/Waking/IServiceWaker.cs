using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Waking;

/// <summary>Wakes one Service's targets; level-based and idempotent, safe to call again after any outcome.</summary>
public interface IServiceWaker
{
    Task<WakeAttempt> WakeAsync(ServiceKey service, CancellationToken cancellationToken);
}
