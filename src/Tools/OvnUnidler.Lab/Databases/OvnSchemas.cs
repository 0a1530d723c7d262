namespace OvnUnidler.Lab.Databases;

/// <summary>Schemas shipped by Debian's ovn-common and openvswitch-common packages.</summary>
public static class OvnSchemas
{
    public const string SouthboundDatabase = "OVN_Southbound";
    public const string NorthboundDatabase = "OVN_Northbound";
    public const string SwitchDatabase = "Open_vSwitch";

    public static string Southbound => Existing("/usr/share/ovn/ovn-sb.ovsschema");

    public static string Northbound => Existing("/usr/share/ovn/ovn-nb.ovsschema");

    public static string Switch => Existing("/usr/share/openvswitch/vswitch.ovsschema");

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing; run `bash .ci/setup` to install OVN", path);
}
