using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Holding;

/// <summary>Reads the facts of a hold decision fresh from the API server; throws when any read fails (then nothing is held).</summary>
public interface IHoldingReads
{
    Task<HoldingFacts> ReadAsync(ServiceKey service, CancellationToken cancellationToken);
}
