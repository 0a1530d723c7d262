using Microsoft.Extensions.Logging;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>Clients with short backoff so reconnects in tests take milliseconds, not seconds.</summary>
public static class Clients
{
    public static OvsdbClient Create(string remote, Action<OvsdbClientOptions>? configure = null, ILogger<OvsdbClient>? logger = null)
    {
        var options = new OvsdbClientOptions
        {
            Remote = remote,
            ReconnectInitialBackoff = TimeSpan.FromMilliseconds(20),
            ReconnectMaxBackoff = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return new OvsdbClient(options, logger ?? new TestOutputLogger<OvsdbClient>(remote.Length > 40 ? "…" + remote[^30..] : remote));
    }

    public static async Task<OvsdbClient> StartAsync(string remote, Action<OvsdbClientOptions>? configure = null)
    {
        var client = Create(remote, configure);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await client.WaitUntilConnectedAsync(TestContext.Current.CancellationToken).Within();
        return client;
    }
}
