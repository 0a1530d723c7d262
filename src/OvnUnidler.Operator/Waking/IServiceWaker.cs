using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Waking;

/// <summary>Wakes one Service's targets; level-based and idempotent, safe to call again after any outcome.</summary>
public interface IServiceWaker
{
    /// <summary>Scales the targets and records NeedPods; the idle annotations stay (<see cref="WakeAttempt.AnnotationsKept"/>).</summary>
    Task<WakeAttempt> WakeAsync(ServiceKey service, CancellationToken cancellationToken);

    /// <summary>Removes the idle annotations an attempt kept, once the pods are ready (or the deadline passed).</summary>
    Task<WakeAttempt> FinishAsync(ServiceKey service, WakeAttempt started, CancellationToken cancellationToken);

    /// <summary>
    /// Restarts ovn-kubernetes' 30 s unidle grace of a Service whose annotations someone else
    /// removed; returns its resourceVersion after that write, or null when nothing was written.
    /// </summary>
    Task<string?> RenewGraceAsync(ServiceKey service, CancellationToken cancellationToken);
}
