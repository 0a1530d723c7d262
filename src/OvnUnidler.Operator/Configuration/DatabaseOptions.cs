namespace OvnUnidler.Operator.Configuration;

/// <summary>
/// One OVN database remote as the OVN daemons take it: unix:PATH, tcp:HOST:PORT, ssl:HOST:PORT,
/// or a comma-separated list of a clustered database's members.
/// Bound from "Southbound" and "Northbound".
/// </summary>
public sealed class DatabaseOptions
{
    public const string SouthboundSection = "Southbound";
    public const string NorthboundSection = "Northbound";

    public string Remote { get; set; } = string.Empty;

    public string? PrivateKeyFile { get; set; }

    public string? CertificateFile { get; set; }

    public string? CaCertificateFile { get; set; }

    public TimeSpan InactivityProbe { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconnectInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Connect only to the Raft leader of a clustered database.</summary>
    public bool LeaderOnly { get; set; }
}
