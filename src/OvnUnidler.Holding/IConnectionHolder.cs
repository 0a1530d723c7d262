namespace OvnUnidler.Holding;

/// <summary>
/// Keeps the connections and datagrams that reach an idled Service while it wakes, then hands
/// them to its pods. One holder per operator process.
/// </summary>
public interface IConnectionHolder
{
    /// <summary>
    /// Starts holding <paramref name="request"/>'s ports, or returns the hold already under way
    /// for that Service. Returns null when a bound (held Services, listener ports) leaves no room;
    /// the caller then wakes without holding.
    /// </summary>
    IHeldService? Hold(HoldRequest request);
}
