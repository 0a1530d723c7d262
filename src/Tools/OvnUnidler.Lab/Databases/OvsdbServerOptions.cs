namespace OvnUnidler.Lab.Databases;

public sealed class OvsdbServerOptions
{
    /// <summary>Private directory for the database file, socket, pidfile and log.</summary>
    public required string Directory { get; init; }

    /// <summary>File prefix inside <see cref="Directory"/>: sb gives sb.db, sb.sock, sb.pid.</summary>
    public string Name { get; init; } = "sb";

    public string SchemaPath { get; init; } = OvnSchemas.Southbound;

    /// <summary>Listen on tcp:127.0.0.1 at this port; 0 picks a free one; null listens on unix only.</summary>
    public int? TcpPort { get; init; }

    /// <summary>Listen on tcp:[::1] at this port; 0 picks a free one.</summary>
    public int? Ipv6TcpPort { get; init; }

    /// <summary>Listen on pssl:127.0.0.1 with these files; the port is <see cref="SslPort"/> (0 picks one).</summary>
    public OvsdbTlsFiles? Tls { get; init; }

    public int SslPort { get; init; }

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
