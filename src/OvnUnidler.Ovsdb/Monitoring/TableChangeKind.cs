namespace OvnUnidler.Ovsdb.Monitoring;

public enum TableChangeKind
{
    Inserted,
    Modified,
    Deleted,
}
