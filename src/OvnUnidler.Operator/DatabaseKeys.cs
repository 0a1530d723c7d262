namespace OvnUnidler.Operator;

/// <summary>Service keys of the two OVSDB clients.</summary>
public static class DatabaseKeys
{
    public const string Southbound = "southbound";
    public const string Northbound = "northbound";
}
