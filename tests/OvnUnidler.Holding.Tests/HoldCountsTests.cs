using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Holding.Tests.Harness;

namespace OvnUnidler.Holding.Tests;

/// <summary>A hold's own counts (what becomes the Idler's status.lastHold) after real connections and datagrams on loopback.</summary>
public sealed class HoldCountsTests
{
    private static readonly HeldPort Http = HolderHarness.Http;
    private static readonly HeldPort Dns = HolderHarness.Dns;

    [Fact]
    public async Task Counts_held_connections_handed_to_the_pod_and_one_reset_at_the_bound()
    {
        await using var harness = new HolderHarness(options => options.MaxConnectionsPerService = 2);
        using var backend = new TcpBackend();
        var held = harness.Hold();
        using var one = await TcpBackend.ConnectAsync(held.Listeners[Http]);
        using var two = await TcpBackend.ConnectAsync(held.Listeners[Http]);
        await Eventually.TrueAsync(() => harness.Observer.Held == 2, "two connections to be held");
        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ConnectAndReadErrorAsync(held.Listeners[Http]));

        held.SetReadyEndpoints(Http, [backend.Endpoint]);
        using var first = await backend.AcceptAsync();
        using var second = await backend.AcceptAsync();
        await held.EndAsync(HoldEnd.Drained).Within();
        var counts = await held.Settled.Within();

        Assert.Equal((2, 0, 2, 0, 0), (counts.Connections, counts.Flows, counts.RelayedConnections, counts.RelayedFlows, counts.DatagramsKept));
        Assert.Equal(new Dictionary<ResetReason, int> { [ResetReason.ServiceLimit] = 1 }, counts.Resets);
        Assert.Empty(counts.Drops);
        Assert.Equal((2, 2, 1, 0), (counts.Held, counts.Relayed, counts.Reset, counts.Dropped));
    }

    [Fact]
    public async Task A_failed_hold_settles_only_after_its_held_connections_were_reset()
    {
        await using var harness = new HolderHarness();
        var held = harness.Hold();
        using var one = await TcpBackend.ConnectAsync(held.Listeners[Http]);
        using var two = await TcpBackend.ConnectAsync(held.Listeners[Http]);
        await Eventually.TrueAsync(() => harness.Observer.Held == 2, "two connections to be held");
        Assert.False(held.Settled.IsCompleted);

        await held.EndAsync(HoldEnd.Failed).Within();
        var counts = await held.Settled.Within();

        Assert.Equal((2, 0), (counts.Connections, counts.Relayed));
        Assert.Equal(new Dictionary<ResetReason, int> { [ResetReason.HoldFailed] = 2 }, counts.Resets);
        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(one));
        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(two));
    }

    [Fact]
    public async Task A_drained_hold_with_a_connection_still_waiting_settles_at_its_deadline()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(time: time);
        using var backend = new TcpBackend();
        var ready = new HeldPort("admin", HeldProtocol.Tcp);
        var held = harness.Hold("shop/web", TimeSpan.FromSeconds(30), Http, ready);
        using var waiting = await TcpBackend.ConnectAsync(held.Listeners[Http]);
        await Eventually.TrueAsync(() => harness.Observer.Held == 1, "the connection to be held");
        held.SetReadyEndpoints(ready, [backend.Endpoint]);

        await held.EndAsync(HoldEnd.Drained).Within();
        Assert.Equal(1, held.Counts.Connections);
        Assert.False(held.Settled.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        var counts = await held.Settled.Within();

        Assert.Equal(new Dictionary<ResetReason, int> { [ResetReason.Deadline] = 1 }, counts.Resets);
        Assert.Equal(0, counts.Relayed);
        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(waiting));
    }

    [Fact]
    public async Task Counts_every_connection_exactly_when_many_arrive_at_once_beyond_the_bound()
    {
        const int clients = 40;
        const int bound = 25;
        await using var harness = new HolderHarness(options => options.MaxConnectionsPerService = bound);
        using var backend = new TcpBackend();
        var held = harness.Hold();

        var sockets = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => TryConnectAsync(held.Listeners[Http]))).Within(Deadline.Long);
        try
        {
            await Eventually.TrueAsync(() => held.Counts is var counts && counts.Connections + counts.Reset == clients, "every connection to be held or reset");
            Assert.Equal(bound, held.Counts.Connections);
            Assert.Equal(new Dictionary<ResetReason, int> { [ResetReason.ServiceLimit] = clients - bound }, held.Counts.Resets);

            held.SetReadyEndpoints(Http, [backend.Endpoint]);
            var accepted = new List<Socket>();
            for (var index = 0; index < bound; index++)
            {
                accepted.Add(await backend.AcceptAsync());
            }

            await held.EndAsync(HoldEnd.Drained).Within();
            var settled = await held.Settled.Within();
            Assert.Equal((bound, bound), (settled.Connections, settled.RelayedConnections));
            accepted.ForEach(socket => socket.Dispose());
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    [Fact]
    public async Task Counts_flows_kept_datagrams_the_drop_at_a_client_bound_and_flows_handed_to_the_pod()
    {
        await using var harness = new HolderHarness(options => options.MaxDatagramsPerClient = 2);
        using var pod = new UdpPeer();
        using var alice = new UdpPeer();
        using var bob = new UdpPeer();
        var held = harness.Hold("shop/dns", null, Dns);
        var listener = held.Listeners[Dns];
        await alice.SendAsync(listener, "a1");
        await alice.SendAsync(listener, "a2");
        await alice.SendAsync(listener, "a3");
        await bob.SendAsync(listener, "b1");
        await Eventually.TrueAsync(() => held.Counts is var counts && counts.DatagramsKept + counts.Dropped == 4, "every datagram to be kept or dropped");

        held.SetReadyEndpoints(Dns, [pod.Endpoint]);
        var received = new[] { (await pod.ReceiveAsync()).Text, (await pod.ReceiveAsync()).Text, (await pod.ReceiveAsync()).Text };
        await held.EndAsync(HoldEnd.Drained).Within();
        var settled = await held.Settled.Within();

        Assert.Equal(["a1", "a2", "b1"], received.Order(StringComparer.Ordinal));
        Assert.Equal((0, 2, 0, 2, 3), (settled.Connections, settled.Flows, settled.RelayedConnections, settled.RelayedFlows, settled.DatagramsKept));
        Assert.Equal(new Dictionary<DropReason, int> { [DropReason.ClientDatagramLimit] = 1 }, settled.Drops);
        Assert.Empty(settled.Resets);
    }

    [Fact]
    public async Task A_failed_hold_counts_the_kept_datagrams_it_dropped()
    {
        await using var harness = new HolderHarness();
        using var client = new UdpPeer();
        var held = harness.Hold("shop/dns", null, Dns);
        await client.SendAsync(held.Listeners[Dns], "q1");
        await client.SendAsync(held.Listeners[Dns], "q2");
        await Eventually.TrueAsync(() => held.Counts.DatagramsKept == 2, "two datagrams to be kept");

        await held.EndAsync(HoldEnd.Failed).Within();
        var settled = await held.Settled.Within();

        Assert.Equal((1, 0, 2), (settled.Flows, settled.Relayed, settled.DatagramsKept));
        Assert.Equal(new Dictionary<DropReason, int> { [DropReason.HoldFailed] = 2 }, settled.Drops);
    }

    [Fact]
    public async Task A_hold_that_took_nothing_in_settles_when_it_ends_with_nothing_counted()
    {
        await using var harness = new HolderHarness();
        var held = harness.Hold("shop/web", null, Http, Dns);

        await held.EndAsync(HoldEnd.Drained).Within();
        var settled = await held.Settled.Within();

        Assert.Equal((0, 0, 0, 0, 0), (settled.Held, settled.Relayed, settled.Reset, settled.Dropped, settled.DatagramsKept));
    }

    /// <summary>Connects, or null when the holder's reset beat the client's own connect completion (loopback).</summary>
    private static async Task<Socket?> TryConnectAsync(IPEndPoint endpoint)
    {
        try
        {
            return await TcpBackend.ConnectAsync(endpoint);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
