namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Told about every hold of this process once it ended and settled (nothing it took in waits any
/// more), for the Idler status. Called off the holds' own path: a failure is logged and changes
/// neither the hold nor the wake.
/// </summary>
public interface IHoldEndObserver
{
    Task OnHoldEndedAsync(HoldSummary summary, CancellationToken cancellationToken);
}
