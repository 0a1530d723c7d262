namespace OvnUnidler.Ovsdb;

public sealed class OvsdbClientOptions
{
    /// <summary>unix:PATH, tcp:HOST:PORT, ssl:HOST:PORT, or a comma-separated list of a cluster's members.</summary>
    public string Remote { get; set; } = string.Empty;

    public string? PrivateKeyFile { get; set; }

    public string? CertificateFile { get; set; }

    public string? CaCertificateFile { get; set; }

    /// <summary>Silence after which an echo is sent; a peer silent for as long again is dropped. Zero disables.</summary>
    public TimeSpan InactivityProbe { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconnectInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Use only the Raft leader of a clustered database.</summary>
    public bool LeaderOnly { get; set; }
}
