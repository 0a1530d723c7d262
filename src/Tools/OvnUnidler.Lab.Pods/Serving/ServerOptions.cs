using System.Globalization;

namespace OvnUnidler.Lab.Pods.Serving;

public sealed class ServerOptions
{
    public required string Name { get; init; }

    /// <summary>How long the pod "starts up" before it listens: the pod start-up time the benchmark varies.</summary>
    public TimeSpan Delay { get; init; }

    public int HttpPort { get; init; } = 8080;

    public int UdpPort { get; init; } = 5353;

    public static ServerOptions Parse(IReadOnlyList<string> arguments)
    {
        string? name = null;
        var delay = TimeSpan.Zero;
        var http = 8080;
        var udp = 5353;
        for (var i = 0; i < arguments.Count; i += 2)
        {
            var value = i + 1 < arguments.Count ? arguments[i + 1] : throw new ArgumentException($"{arguments[i]} needs a value");
            switch (arguments[i])
            {
                case "--name": name = value; break;
                case "--delay": delay = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                case "--http-port": http = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--udp-port": udp = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {arguments[i]}");
            }
        }

        return new ServerOptions { Name = name ?? throw new ArgumentException("--name is required"), Delay = delay, HttpPort = http, UdpPort = udp };
    }
}
