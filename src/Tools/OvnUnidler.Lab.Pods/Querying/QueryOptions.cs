using System.Globalization;
using System.Net;

namespace OvnUnidler.Lab.Pods.Querying;

public sealed class QueryOptions
{
    public required IPEndPoint Target { get; init; }

    /// <summary>A new query this often until one is answered (the client's retry schedule).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public static QueryOptions Parse(IReadOnlyList<string> arguments)
    {
        IPEndPoint? target = null;
        var interval = TimeSpan.FromSeconds(1);
        var timeout = TimeSpan.FromSeconds(30);
        for (var i = 0; i < arguments.Count; i += 2)
        {
            var value = i + 1 < arguments.Count ? arguments[i + 1] : throw new ArgumentException($"{arguments[i]} needs a value");
            switch (arguments[i])
            {
                case "--target":
                    target = IPEndPoint.TryParse(value, out var parsed) && parsed.Port != 0
                        ? parsed
                        : throw new ArgumentException($"--target {value} is not ADDRESS:PORT or [ADDRESS]:PORT");
                    break;
                case "--interval": interval = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                case "--timeout": timeout = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"unknown option {arguments[i]}");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, "--interval");
        return new QueryOptions { Target = target ?? throw new ArgumentException("--target is required"), Interval = interval, Timeout = timeout };
    }
}
