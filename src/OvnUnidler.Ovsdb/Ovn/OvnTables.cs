namespace OvnUnidler.Ovsdb.Ovn;

/// <summary>Database, table and column names of the OVN schemas (ovn-sb(5), ovn-nb(5)) this project uses.</summary>
public static class OvnTables
{
    public const string Southbound = "OVN_Southbound";
    public const string Northbound = "OVN_Northbound";
    public const string ControllerEvent = "Controller_Event";
    public const string LoadBalancer = "Load_Balancer";
    public const string Chassis = "Chassis";
}
