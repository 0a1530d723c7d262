namespace OvnUnidler.Holding.Observability;

public enum RelayDirection
{
    /// <summary>From the client to the Service's endpoint.</summary>
    ToEndpoint,

    /// <summary>From the endpoint back to the client.</summary>
    ToClient,
}
