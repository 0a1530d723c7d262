namespace OvnUnidler.Ovsdb.Remotes;

public enum RemoteKind
{
    Unix,
    Tcp,
    Ssl,
}
