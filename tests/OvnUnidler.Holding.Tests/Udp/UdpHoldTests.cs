using Microsoft.Extensions.Time.Testing;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Holding.Tests.Harness;

namespace OvnUnidler.Holding.Tests.Udp;

/// <summary>Real UDP clients and servers on loopback through a real holder's UDP listeners.</summary>
public sealed class UdpHoldTests
{
    private static readonly HeldPort Dns = HolderHarness.Dns;

    [Fact]
    public async Task Forwards_kept_datagrams_in_order_and_replies_come_from_the_listener_port()
    {
        await using var harness = new HolderHarness();
        using var pod = new UdpPeer();
        using var client = new UdpPeer();
        var held = harness.HoldDns();
        var listener = held.Listeners[Dns];
        await harness.SendKeptAsync(client, held, "q1", "q2", "q3");
        Assert.Equal(1, held.Waiting);

        held.SetReadyEndpoints(Dns, [pod.Endpoint]);
        var (first, flow) = await pod.ReceiveAsync();
        var (second, _) = await pod.ReceiveAsync();
        var (third, _) = await pod.ReceiveAsync();
        Assert.Equal(["q1", "q2", "q3"], [first, second, third]);

        await client.SendAsync(listener, "q4");
        var (fourth, sameFlow) = await pod.ReceiveAsync();
        Assert.Equal("q4", fourth);
        Assert.Equal(flow, sameFlow);

        await pod.SendAsync(flow, "answer");
        var (reply, from) = await client.ReceiveAsync();
        Assert.Equal("answer", reply);
        Assert.Equal(listener, from);
        Assert.Equal(1, harness.Observer.Relayed);
        Assert.Equal(8, harness.Observer.Bytes(RelayDirection.ToEndpoint));

        // The reply's bytes are counted once its send completed, which the client may see first.
        await Eventually.TrueAsync(() => harness.Observer.Bytes(RelayDirection.ToClient) == 6, "the reply's bytes to be counted");
    }

    [Fact]
    public async Task Gives_each_client_its_own_flow()
    {
        await using var harness = new HolderHarness();
        using var pod = new UdpPeer();
        using var alice = new UdpPeer();
        using var bob = new UdpPeer();
        var held = harness.HoldDns();
        var listener = held.Listeners[Dns];
        held.SetReadyEndpoints(Dns, [pod.Endpoint]);

        await alice.SendAsync(listener, "alice");
        var (fromAlice, aliceFlow) = await pod.ReceiveAsync();
        await bob.SendAsync(listener, "bob");
        var (fromBob, bobFlow) = await pod.ReceiveAsync();
        await pod.SendAsync(bobFlow, "to bob");
        await pod.SendAsync(aliceFlow, "to alice");

        Assert.Equal(("alice", "bob"), (fromAlice, fromBob));
        Assert.NotEqual(aliceFlow, bobFlow);
        Assert.Equal("to alice", (await alice.ReceiveAsync()).Text);
        Assert.Equal("to bob", (await bob.ReceiveAsync()).Text);
    }

    [Theory]
    [InlineData(nameof(DropReason.ClientDatagramLimit))]
    [InlineData(nameof(DropReason.ClientByteLimit))]
    public async Task Drops_datagrams_beyond_the_bounds_per_client(string bound)
    {
        await using var harness = new HolderHarness(options =>
        {
            (options.MaxDatagramsPerClient, options.MaxBufferedBytesPerClient) = bound == nameof(DropReason.ClientDatagramLimit) ? (2, 10_000) : (100, 250);
        });
        using var pod = new UdpPeer();
        using var client = new UdpPeer();
        var held = harness.HoldDns();
        for (var sent = 0; sent < 3; sent++)
        {
            await client.SendAsync(held.Listeners[Dns], 100);
        }

        await Eventually.TrueAsync(() => harness.Observer.Kept + harness.Observer.AllDrops == 3, "all three datagrams to be kept or dropped");
        Assert.Equal(2, harness.Observer.Kept);
        Assert.Equal(1, harness.Observer.Drops(Enum.Parse<DropReason>(bound)));
        Assert.True(harness.Logger.Logged(HoldingEventIds.DatagramDropped));

        held.SetReadyEndpoints(Dns, [pod.Endpoint]);
        await pod.ReceiveAsync();
        await pod.ReceiveAsync();
        Assert.Equal(200, harness.Observer.Bytes(RelayDirection.ToEndpoint));
    }

    [Theory]
    [InlineData(nameof(DropReason.ServiceDatagramLimit))]
    [InlineData(nameof(DropReason.ServiceByteLimit))]
    [InlineData(nameof(DropReason.ServiceLimit))]
    public async Task Drops_datagrams_beyond_the_bounds_per_service(string bound)
    {
        await using var harness = new HolderHarness(options =>
        {
            (options.MaxDatagramsPerClient, options.MaxBufferedBytesPerClient) = (2, 200);
            switch (bound)
            {
                case nameof(DropReason.ServiceDatagramLimit): options.MaxDatagramsPerService = 3; break;
                case nameof(DropReason.ServiceByteLimit): options.MaxBufferedBytesPerService = 300; break;
                default: options.MaxConnectionsPerService = 1; break;
            }
        });
        using var alice = new UdpPeer();
        using var bob = new UdpPeer();
        var held = harness.HoldDns();
        var listener = held.Listeners[Dns];
        await alice.SendAsync(listener, 100);
        await alice.SendAsync(listener, 100);
        await Eventually.TrueAsync(() => harness.Observer.Kept == 2, "alice's datagrams to be kept");

        await bob.SendAsync(listener, 100);
        await bob.SendAsync(listener, 100);

        var expectedDrops = bound == nameof(DropReason.ServiceLimit) ? 2 : 1;
        await Eventually.TrueAsync(() => harness.Observer.Kept + harness.Observer.AllDrops == 4, "bob's datagrams to be kept or dropped");
        Assert.Equal(expectedDrops, harness.Observer.Drops(Enum.Parse<DropReason>(bound)));
        Assert.Equal(4 - expectedDrops, harness.Observer.Kept);
    }

    [Fact]
    public async Task Idle_flows_expire_with_their_kept_datagrams()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(options => options.UdpFlowIdleTimeout = TimeSpan.FromSeconds(20), time);
        using var pod = new UdpPeer();
        using var client = new UdpPeer();
        var held = harness.HoldDns();
        await harness.SendKeptAsync(client, held, "stale1", "stale2");

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(0, harness.Observer.Drops(DropReason.FlowExpired));
        time.Advance(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(() => harness.Observer.Drops(DropReason.FlowExpired) == 2, "the idle flow's datagrams to be dropped");
        Assert.Equal(0, held.Waiting);
        held.SetReadyEndpoints(Dns, [pod.Endpoint]);
        await client.SendAsync(held.Listeners[Dns], "fresh");
        Assert.Equal("fresh", (await pod.ReceiveAsync()).Text);
    }

    [Fact]
    public async Task Failed_drops_kept_datagrams_and_nothing_reaches_the_pod()
    {
        await using var harness = new HolderHarness();
        using var client = new UdpPeer();
        var held = harness.HoldDns();
        await harness.SendKeptAsync(client, held, "q1", "q2");

        await held.EndAsync(HoldEnd.Failed).Within();

        Assert.Equal(2, harness.Observer.Drops(DropReason.HoldFailed));
        await held.Completion.Within();
    }

    [Fact]
    public async Task After_a_drain_a_relayed_flow_goes_on_a_new_client_is_relayed_too_and_the_listener_closes_when_both_expire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(options => options.UdpFlowIdleTimeout = TimeSpan.FromSeconds(20), time);
        using var pod = new UdpPeer();
        using var client = new UdpPeer();
        using var latecomer = new UdpPeer();
        var held = harness.HoldDns();
        var listener = held.Listeners[Dns];
        held.SetReadyEndpoints(Dns, [pod.Endpoint]);
        await client.SendAsync(listener, "before");
        var (_, flow) = await pod.ReceiveAsync();

        await held.EndAsync(HoldEnd.Drained).Within();
        await client.SendAsync(listener, "after");
        Assert.Equal("after", (await pod.ReceiveAsync()).Text);
        // OVN's conntrack still sends a client here after the drain when its entry names the holder.
        await latecomer.SendAsync(listener, "late");
        var (late, latecomerFlow) = await pod.ReceiveAsync();

        Assert.Equal("late", late);
        Assert.NotEqual(flow, latecomerFlow);
        await pod.SendAsync(flow, "reply");
        Assert.Equal(("reply", listener), await client.ReceiveAsync());
        await pod.SendAsync(latecomerFlow, "late reply");
        Assert.Equal(("late reply", listener), await latecomer.ReceiveAsync());
        Assert.Equal(0, harness.Observer.Drops(DropReason.Drained));
        Assert.False(held.Completion.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(25));
        await held.Completion.Within();
    }

    [Fact]
    public async Task A_drained_listener_without_flows_stays_open_for_the_idle_timeout_and_relays_a_client_whose_first_datagram_comes_late()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(options => options.UdpFlowIdleTimeout = TimeSpan.FromSeconds(20), time);
        using var pod = new UdpPeer();
        using var client = new UdpPeer();
        var held = harness.Hold("shop/dns", null, Dns);
        var listener = held.Listeners[Dns];
        held.SetReadyEndpoints(Dns, [pod.Endpoint]);

        // The client's datagram during the hold was lost on its way; its conntrack entry names the holder all the same.
        await held.EndAsync(HoldEnd.Drained).Within();
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(held.Completion.IsCompleted);
        await client.SendAsync(listener, "retry");
        var (retry, flow) = await pod.ReceiveAsync();
        await pod.SendAsync(flow, "answer");

        Assert.Equal("retry", retry);
        Assert.Equal(("answer", listener), await client.ReceiveAsync());
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(held.Completion.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));
        await held.Completion.Within();
    }

    [Fact]
    public async Task A_drained_listener_for_a_service_without_ready_endpoints_drops_a_new_client_as_drained()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(options => options.UdpFlowIdleTimeout = TimeSpan.FromSeconds(20), time);
        using var client = new UdpPeer();
        var held = harness.Hold("shop/dns", null, Dns);

        await held.EndAsync(HoldEnd.Drained).Within();
        await client.SendAsync(held.Listeners[Dns], "nowhere");

        await Eventually.TrueAsync(() => harness.Observer.Drops(DropReason.Drained) == 1, "the datagram to be dropped as drained");
        time.Advance(TimeSpan.FromSeconds(25));
        await held.Completion.Within();
    }
}
