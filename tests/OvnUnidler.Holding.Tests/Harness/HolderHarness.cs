using System.Net.Sockets;

namespace OvnUnidler.Holding.Tests.Harness;

/// <summary>
/// A real holder on loopback with its own slice of the port range (test classes run in parallel;
/// a port some other process holds is skipped by the holder itself), recording what it reports.
/// </summary>
public sealed class HolderHarness : IAsyncDisposable
{
    public const int PortsEach = 16;

    private static int nextFirstPort = 21000;

    public HolderHarness(Action<HoldingOptions>? configure = null, TimeProvider? time = null)
    {
        var first = Interlocked.Add(ref nextFirstPort, PortsEach) - PortsEach;
        Options = new HoldingOptions { ListenAddress = "127.0.0.1", FirstPort = first, LastPort = first + PortsEach - 1 };
        configure?.Invoke(Options);
        var validation = new HoldingOptionsValidator().Validate(null, Options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        Time = time ?? TimeProvider.System;
        Holder = new ConnectionHolder(Microsoft.Extensions.Options.Options.Create(Options), Time, Logger, Observer);
    }

    public HoldingOptions Options { get; }

    public TimeProvider Time { get; }

    public RecordingObserver Observer { get; } = new();

    public TestOutputLogger<ConnectionHolder> Logger { get; } = new("holder");

    public ConnectionHolder Holder { get; }

    public static HeldPort Http { get; } = new("http", HeldProtocol.Tcp);

    public static HeldPort Dns { get; } = new("dns", HeldProtocol.Udp);

    /// <summary>Holds <paramref name="service"/>'s ports (by default its HTTP port) until the deadline (by default far off).</summary>
    public HeldService Hold(string service = "shop/web", TimeSpan? deadline = null, params HeldPort[] ports) =>
        Holder.Hold(new HoldRequest(service, ports.Length == 0 ? [Http] : ports, Time.GetUtcNow() + (deadline ?? TimeSpan.FromMinutes(10))))
        ?? throw new InvalidOperationException($"no hold for {service}");

    /// <summary>Holds <paramref name="service"/>'s DNS port (UDP) until a deadline far off.</summary>
    public HeldService HoldDns(string service = "shop/dns") => Hold(service, null, Dns);

    /// <summary>Connects a client to <paramref name="held"/>'s HTTP listener and returns once the holder holds the connection.</summary>
    public async Task<Socket> ConnectHeldAsync(HeldService held)
    {
        var before = Observer.Held;
        var client = await TcpBackend.ConnectAsync(held.Listeners[Http]);
        try
        {
            await Eventually.TrueAsync(() => Observer.Held > before, "the connection to be held");
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="datagrams"/> from <paramref name="client"/> to <paramref name="held"/>'s DNS listener and returns once the holder kept them all.</summary>
    public async Task SendKeptAsync(UdpPeer client, HeldService held, params string[] datagrams)
    {
        var before = Observer.Kept;
        foreach (var datagram in datagrams)
        {
            await client.SendAsync(held.Listeners[Dns], datagram);
        }

        await Eventually.TrueAsync(() => Observer.Kept == before + datagrams.Length, $"{datagrams.Length} datagram(s) to be kept");
    }

    /// <summary>
    /// A port number free for TCP and UDP on loopback now, outside every harness' range (the system's
    /// ephemeral ports): what a Service's targetPort is to a holder that prefers it.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            var port = ((System.Net.IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: another number.
            }
        }
    }

    public ValueTask DisposeAsync() => Holder.DisposeAsync();
}
