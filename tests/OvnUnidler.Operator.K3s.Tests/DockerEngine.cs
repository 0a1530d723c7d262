using System.Net.Http;
using System.Net.Sockets;

namespace OvnUnidler.Operator.K3s.Tests;

/// <summary>Finds out whether a Docker engine answers, so the k3s suite can run or say why it cannot.</summary>
public static class DockerEngine
{
    private static readonly Lazy<string?> Unavailability = new(Probe);

    /// <summary>Null when an engine answered /_ping; otherwise why the k3s tests are skipped.</summary>
    public static string? WhyUnavailable => Unavailability.Value;

    private static string? Probe()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";
        if (!host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return Ping(new HttpClient { BaseAddress = new Uri(host.Replace("tcp://", "http://", StringComparison.Ordinal)) }, host);
        }

        var socketPath = host["unix://".Length..];
        if (!File.Exists(socketPath))
        {
            return $"no Docker engine: {socketPath} does not exist (a docker client alone cannot run k3s)";
        }

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return Ping(new HttpClient(handler) { BaseAddress = new Uri("http://docker") }, host);
    }

    private static string? Ping(HttpClient client, string host)
    {
        using (client)
        {
            client.Timeout = TimeSpan.FromSeconds(5);
            try
            {
                using var response = client.GetAsync("/_ping").GetAwaiter().GetResult();
                return response.IsSuccessStatusCode ? null : $"the Docker engine at {host} answered {(int)response.StatusCode} to /_ping";
            }
            catch (Exception exception) when (exception is HttpRequestException or SocketException or TaskCanceledException or IOException)
            {
                return $"no Docker engine answers at {host}: {exception.Message}";
            }
        }
    }
}
