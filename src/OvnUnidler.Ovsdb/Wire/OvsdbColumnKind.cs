namespace OvnUnidler.Ovsdb.Wire;

/// <summary>How an update2 "modify" carries a column (ovsdb-server(7), update2 notification).</summary>
public enum OvsdbColumnKind
{
    /// <summary>A scalar or a set of at most one element: the diff is the new value.</summary>
    Single,

    /// <summary>A set that may hold more than one element: the diff lists the elements to add or remove.</summary>
    Set,

    /// <summary>A map: the diff lists pairs to add (new key), remove (same key and value) or change (same key, new value).</summary>
    Map,
}
