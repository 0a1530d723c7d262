namespace OvnUnidler.Operator.Model;

/// <summary>Service keys of the OVSDB clients.</summary>
public static class DatabaseKeys
{
    public const string Southbound = "southbound";

    /// <summary>
    /// A second Southbound connection for acknowledgements: ovsdb-server answers a connection's
    /// requests in order, so deletes sent on the monitor's connection would wait behind a large
    /// monitor reply (a start-up backlog) that the operator is already working through.
    /// </summary>
    public const string SouthboundWrites = "southbound-writes";
    public const string Northbound = "northbound";
}
