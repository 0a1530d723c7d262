using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Holding.Tests.Harness;

namespace OvnUnidler.Holding.Tests.Tcp;

/// <summary>Real clients and servers on loopback through a real holder's TCP listeners.</summary>
public sealed class TcpHoldTests
{
    private static readonly HeldPort Http = HolderHarness.Http;

    [Fact]
    public async Task Relays_a_connection_made_before_readiness_both_ways_with_half_close()
    {
        await using var harness = new HolderHarness();
        using var backend = new TcpBackend();
        var held = harness.Hold();

        using var client = await harness.ConnectHeldAsync(held);
        await TcpBackend.SendAsync(client, "GET / HTTP/1.0\r\n\r\n");
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(1, held.Waiting);

        held.SetReadyEndpoints(Http, [backend.Endpoint]);
        using var server = await backend.AcceptAsync();
        Assert.Equal("GET / HTTP/1.0\r\n\r\n", await TcpBackend.ReadToEndAsync(server));

        // The client's half-close reached the server, yet the server can still answer on its half.
        await TcpBackend.SendAsync(server, "HTTP/1.0 200 OK\r\n\r\nwoken");
        server.Shutdown(SocketShutdown.Send);
        Assert.Equal("HTTP/1.0 200 OK\r\n\r\nwoken", await TcpBackend.ReadToEndAsync(client));

        await Eventually.TrueAsync(() => held.Connections == 0, "the relay to end once both sides closed");
        Assert.Equal(1, harness.Observer.Relayed);
        Assert.Equal(0, harness.Observer.AllResets);
        Assert.Equal(18, harness.Observer.Bytes(RelayDirection.ToEndpoint));
        Assert.Equal(24, harness.Observer.Bytes(RelayDirection.ToClient));
    }

    [Fact]
    public async Task Relays_bulk_data_both_ways_at_once_byte_for_byte()
    {
        await using var harness = new HolderHarness(options => options.RelayBufferBytes = 4096);
        var upload = RandomBytes(1, 3 * 1024 * 1024 + 17);
        var download = RandomBytes(2, 2 * 1024 * 1024 + 5);
        using var relay = await RelayedConnection.OpenAsync(harness.Hold());

        var clientSends = SendAllAndCloseAsync(relay.Client, upload);
        var serverSends = SendAllAndCloseAsync(relay.Server, download);
        var serverReceived = ReceiveAllAsync(relay.Server);
        var clientReceived = ReceiveAllAsync(relay.Client);

        Assert.Equal(upload, await serverReceived.Within(Deadline.Long));
        Assert.Equal(download, await clientReceived.Within(Deadline.Long));
        await Task.WhenAll(clientSends, serverSends).Within();
        await Eventually.TrueAsync(() => harness.Observer.Bytes(RelayDirection.ToClient) == download.Length, "the relayed bytes to be counted");
        Assert.Equal(upload.Length, harness.Observer.Bytes(RelayDirection.ToEndpoint));
    }

    [Fact]
    public async Task Forwards_the_first_byte_on_readiness_itself_with_the_clock_standing_still()
    {
        // A clock that never moves: a holder that polled for endpoints on a timer would never forward.
        var frozen = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(time: frozen);
        using var backend = new TcpBackend();
        var held = harness.Hold();

        using var client = await harness.ConnectHeldAsync(held);
        await TcpBackend.SendAsync(client, "x");

        held.SetReadyEndpoints(Http, [backend.Endpoint]);
        using var server = await backend.AcceptAsync();
        Assert.Equal("x", await TcpBackend.ReadAsync(server, 1));
        Assert.Equal(TimeSpan.Zero, harness.Observer.LongestHold);
    }

    [Fact]
    public async Task Connects_at_once_when_endpoints_are_ready_before_the_client_arrives()
    {
        await using var harness = new HolderHarness();

        using var relay = await RelayedConnection.OpenAsync(harness.Hold());
        await TcpBackend.SendAsync(relay.Server, "hi");
        Assert.Equal("hi", await TcpBackend.ReadAsync(relay.Client, 2));
        Assert.Equal(0, harness.Observer.Held);
    }

    [Fact]
    public async Task Spreads_held_connections_over_the_ready_endpoints()
    {
        await using var harness = new HolderHarness();
        using var first = new TcpBackend();
        using var second = new TcpBackend();
        var held = harness.Hold();
        using var one = await harness.ConnectHeldAsync(held);
        using var two = await harness.ConnectHeldAsync(held);

        held.SetReadyEndpoints(Http, [first.Endpoint, second.Endpoint]);
        using var atFirst = await first.AcceptAsync();
        using var atSecond = await second.AcceptAsync();
        await Eventually.TrueAsync(() => harness.Observer.Relayed == 2, "both connections to be relayed");
    }

    [Fact]
    public async Task Drained_closes_the_listener_and_lets_the_relay_in_flight_finish()
    {
        await using var harness = new HolderHarness();
        var held = harness.Hold();
        using var relay = await RelayedConnection.OpenAsync(held);

        await held.EndAsync(HoldEnd.Drained).Within();
        Assert.Equal(HoldEnd.Drained, await held.Ended.Within());
        var refused = await Assert.ThrowsAsync<SocketException>(() => TcpBackend.ConnectAsync(held.Listeners[Http]));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.False(held.Completion.IsCompleted);

        await TcpBackend.SendAsync(relay.Client, "after drain");
        relay.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal("after drain", await TcpBackend.ReadToEndAsync(relay.Server));
        await TcpBackend.SendAsync(relay.Server, "served");
        relay.Server.Shutdown(SocketShutdown.Send);
        Assert.Equal("served", await TcpBackend.ReadToEndAsync(relay.Client));
        await held.Completion.Within();
        Assert.Equal(0, harness.Observer.AllResets);
    }

    [Fact]
    public async Task Failed_resets_held_connections()
    {
        await using var harness = new HolderHarness();
        var held = harness.Hold();
        using var client = await harness.ConnectHeldAsync(held);

        await held.EndAsync(HoldEnd.Failed).Within();

        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(client));
        Assert.Equal(1, harness.Observer.Resets(ResetReason.HoldFailed));
        Assert.True(harness.Logger.Logged(HoldingEventIds.ConnectionReset));
        await held.Completion.Within();
    }

    [Fact]
    public async Task The_deadline_without_endpoints_fails_the_hold_and_resets_held_connections()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(time: time);
        var held = harness.Hold(deadline: TimeSpan.FromSeconds(30));
        using var client = await harness.ConnectHeldAsync(held);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(held.Ended.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HoldEnd.Failed, await held.Ended.Within());
        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(client));
        Assert.Equal(1, harness.Observer.Resets(ResetReason.Deadline));
    }

    [Fact]
    public async Task Resets_a_connection_when_no_ready_endpoint_accepts_it()
    {
        await using var harness = new HolderHarness();
        var closed = ClosedPort();
        var held = harness.Hold();
        using var client = await harness.ConnectHeldAsync(held);

        held.SetReadyEndpoints(Http, [closed]);

        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(client));
        Assert.Equal(1, harness.Observer.Resets(ResetReason.ConnectFailed));
        Assert.True(harness.Logger.Logged(HoldingEventIds.ConnectFailed));
    }

    [Fact]
    public async Task Resets_connections_beyond_the_bound_per_service()
    {
        await using var harness = new HolderHarness(options => options.MaxConnectionsPerService = 2);
        using var backend = new TcpBackend();
        var held = harness.Hold();
        using var one = await harness.ConnectHeldAsync(held);
        using var two = await harness.ConnectHeldAsync(held);

        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ConnectAndReadErrorAsync(held.Listeners[Http]));
        Assert.Equal(1, harness.Observer.Resets(ResetReason.ServiceLimit));
        held.SetReadyEndpoints(Http, [backend.Endpoint]);
        using var first = await backend.AcceptAsync();
        using var second = await backend.AcceptAsync();
        await Eventually.TrueAsync(() => harness.Observer.Relayed == 2, "the two held connections to be relayed");
    }

    [Fact]
    public async Task Resets_connections_beyond_the_bound_of_the_whole_holder()
    {
        await using var harness = new HolderHarness(options => (options.MaxConnections, options.MaxConnectionsPerService) = (2, 2));
        var shop = harness.Hold("shop/web");
        var blog = harness.Hold("blog/web");
        using var one = await harness.ConnectHeldAsync(shop);
        using var two = await harness.ConnectHeldAsync(blog);

        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ConnectAndReadErrorAsync(blog.Listeners[Http]));
        Assert.Equal(1, harness.Observer.Resets(ResetReason.TotalLimit));
        Assert.Equal(2, harness.Holder.Connections);
    }

    [Fact]
    public async Task A_reset_from_the_endpoint_resets_the_client()
    {
        await using var harness = new HolderHarness();
        using var relay = await RelayedConnection.OpenAsync(harness.Hold());
        await TcpBackend.SendAsync(relay.Server, "hello");
        Assert.Equal("hello", await TcpBackend.ReadAsync(relay.Client, 5));

        relay.Server.LingerState = new LingerOption(true, 0);
        relay.Server.Dispose();

        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(relay.Client));
        await Eventually.TrueAsync(() => harness.Observer.Resets(ResetReason.PeerReset) == 1, "the reset to be counted");
    }

    private static IPEndPoint ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task SendAllAndCloseAsync(Socket socket, byte[] data)
    {
        for (var sent = 0; sent < data.Length;)
        {
            sent += await socket.SendAsync(data.AsMemory(sent, Math.Min(100_000, data.Length - sent)), SocketFlags.None, TestContext.Current.CancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<byte[]> ReceiveAllAsync(Socket socket)
    {
        using var received = new MemoryStream();
        var buffer = new byte[65536];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken) is var read && read > 0)
        {
            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }
}
