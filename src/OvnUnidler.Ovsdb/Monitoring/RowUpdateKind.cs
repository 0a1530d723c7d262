namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>The member of an update2 row-update (ovsdb-server(7) update2 notification).</summary>
internal enum RowUpdateKind
{
    Initial,
    Insert,
    Modify,
    Delete,
}
