using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OvnUnidler.Lab.Databases;

/// <summary>
/// A TCP port for a daemon that binds it later (ovsdb-server, a Raft member, an operator process),
/// and binds it again after a restart. Such a port is free only between the pick and the bind, so
/// it is picked outside the kernel's ephemeral range (net.ipv4.ip_local_port_range): a port from
/// inside it is what the kernel hands to any process's next outgoing connection, and under load
/// (the lab makes thousands) one took a port between the pick and the daemon's bind. Outside that
/// range only a process binding that very number can take it. Picks are random, checked by a
/// bind, and never repeated within a process.
/// </summary>
public static class FreeTcpPort
{
    // Below the holder's default port range (32100 on) and above most fixed service ports.
    private const int StretchLow = 20000;
    private const int StretchHigh = 31999;
    private const int HighestPort = 65535;
    private const int Attempts = 200;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Given = [];
    private static readonly (int Low, int High) Ephemeral = ReadEphemeralRange();

    public static int Pick(IPAddress? address = null)
    {
        var (low, high) = Choices();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var port = Random.Shared.Next(low, high + 1);
            if (port >= Ephemeral.Low && port <= Ephemeral.High)
            {
                continue;
            }

            lock (Gate)
            {
                if (Given.Contains(port) || !Bindable(address ?? IPAddress.Loopback, port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException(
            $"no free TCP port outside the ephemeral range {Ephemeral.Low}-{Ephemeral.High} after {Attempts} attempts");
    }

    /// <summary>20000-31999 unless the ephemeral range covers all of it; then the ports above the ephemeral range.</summary>
    private static (int Low, int High) Choices() =>
        Ephemeral.Low <= StretchLow && Ephemeral.High >= StretchHigh ? (Ephemeral.High + 1, HighestPort) : (StretchLow, StretchHigh);

    private static bool Bindable(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) ReadEphemeralRange()
    {
        // Linux's default when the file cannot be read.
        const string Path = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            var fields = File.ReadAllText(Path).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999);
        }
    }
}
