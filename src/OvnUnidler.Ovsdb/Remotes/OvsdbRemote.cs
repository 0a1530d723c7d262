using System.Globalization;

namespace OvnUnidler.Ovsdb.Remotes;

/// <summary>
/// One active remote as the OVS tools take it (ovsdb-client(1), "Remote connection methods"):
/// unix:FILE, tcp:HOST[:PORT] or ssl:HOST[:PORT], an IPv6 HOST in brackets. Without a port, OVS
/// uses the IANA OVSDB port 6640, and so does this.
/// </summary>
public sealed record OvsdbRemote(RemoteKind Kind, string Host, int Port, string Path)
{
    public const int DefaultPort = 6640;

    public static OvsdbRemote Parse(string text)
    {
        var remote = text.Trim();
        if (remote.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = remote[5..];
            return path.Length == 0
                ? throw new FormatException($"remote '{text}': unix: needs a socket path")
                : new OvsdbRemote(RemoteKind.Unix, string.Empty, 0, path);
        }

        var kind = remote.StartsWith("tcp:", StringComparison.Ordinal) ? RemoteKind.Tcp
            : remote.StartsWith("ssl:", StringComparison.Ordinal) ? RemoteKind.Ssl
            : throw new FormatException($"remote '{text}' is not unix:PATH, tcp:HOST[:PORT] or ssl:HOST[:PORT]");
        var hostPort = remote[4..];
        string host;
        string? portText;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < hostPort.Length && hostPort[close + 1] != ':'))
            {
                throw new FormatException($"remote '{text}': an IPv6 host is written [ADDRESS] or [ADDRESS]:PORT");
            }

            host = hostPort[1..close];
            portText = close + 1 < hostPort.Length ? hostPort[(close + 2)..] : null;
        }
        else
        {
            var colon = hostPort.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && hostPort.LastIndexOf(':') != colon)
            {
                throw new FormatException($"remote '{text}': expected HOST[:PORT]; an IPv6 host goes in brackets, [ADDRESS]:PORT");
            }

            host = colon < 0 ? hostPort : hostPort[..colon];
            portText = colon < 0 ? null : hostPort[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw new FormatException($"remote '{text}': the host is empty");
        }

        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new FormatException($"remote '{text}': port '{portText}' is not 1-65535");
        }

        return new OvsdbRemote(kind, host, port, string.Empty);
    }

    /// <summary>A clustered database's members, comma separated, as OVN daemons take them.</summary>
    public static IReadOnlyList<OvsdbRemote> ParseList(string text)
    {
        var remotes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();
        return remotes.Length == 0 ? throw new FormatException("no remote given") : remotes;
    }

    public override string ToString() => Kind switch
    {
        RemoteKind.Unix => $"unix:{Path}",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"{(Kind == RemoteKind.Tcp ? "tcp" : "ssl")}:{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}"),
    };
}
