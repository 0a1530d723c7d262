using Microsoft.Extensions.Time.Testing;
using System.Net.Sockets;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Holding.Tests.Harness;

namespace OvnUnidler.Holding.Tests;

public sealed class ConnectionHolderTests
{
    [Fact]
    public async Task Hold_of_a_service_already_held_returns_the_same_hold()
    {
        await using var harness = new HolderHarness();
        var first = harness.Hold("shop/web");

        var second = harness.Hold("shop/web");

        Assert.Same(first, second);
        Assert.Equal(1, harness.Holder.Held);
    }

    [Fact]
    public async Task Hold_after_the_previous_hold_ended_is_a_new_hold()
    {
        await using var harness = new HolderHarness();
        var first = harness.Hold("shop/web");
        await first.EndAsync(HoldEnd.Drained).Within();

        var second = harness.Hold("shop/web");

        Assert.NotSame(first, second);
        Assert.Equal(HoldEnd.Drained, await first.Ended.Within());
        Assert.False(second.Ended.IsCompleted);
    }

    [Fact]
    public async Task Hold_returns_null_when_no_listener_port_is_left_and_a_port_is_free_again_once_its_hold_completed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(options => options.LastPort = options.FirstPort + 1, time);
        var shop = harness.Hold("shop/web", null, HolderHarness.Http, HolderHarness.Dns);

        var refused = harness.Holder.Hold(new HoldRequest("blog/web", [HolderHarness.Http], DateTimeOffset.UtcNow.AddMinutes(1)));

        Assert.Null(refused);
        Assert.True(harness.Logger.Logged(HoldingEventIds.HoldRefused));
        await shop.EndAsync(HoldEnd.Drained).Within();
        // A drained UDP listener stays open for the flow idle timeout (OVN may still send clients to it).
        Assert.False(shop.Completion.IsCompleted);
        time.Advance(harness.Options.UdpFlowIdleTimeout + TimeSpan.FromSeconds(1));
        await shop.Completion.Within();
        var blog = harness.Holder.Hold(new HoldRequest("blog/web", [HolderHarness.Http], DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.NotNull(blog);
    }

    [Fact]
    public async Task Skips_a_port_of_the_range_that_another_socket_holds()
    {
        await using var harness = new HolderHarness();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, harness.Options.FirstPort));
        squatter.Listen();

        var held = harness.Hold();

        Assert.NotEqual(harness.Options.FirstPort, held.Listeners[HolderHarness.Http].Port);
        Assert.InRange(held.Listeners[HolderHarness.Http].Port, harness.Options.FirstPort, harness.Options.LastPort);
    }

    [Fact]
    public async Task Listeners_name_the_advertised_address_with_the_bound_port()
    {
        await using var harness = new HolderHarness(options => options.AdvertiseAddress = "10.128.0.7");

        var held = harness.Hold();

        var listener = held.Listeners[HolderHarness.Http];
        Assert.Equal("10.128.0.7", listener.Address.ToString());
        using var client = await TcpBackend.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, listener.Port));
        await Eventually.TrueAsync(() => harness.Observer.Held == 1, "the connection to reach the bound port");
    }

    [Fact]
    public async Task Listening_everywhere_takes_both_address_families_on_one_port()
    {
        if (!Socket.OSSupportsIPv6 || !CanBindIPv6Loopback())
        {
            Assert.Skip("this machine has no IPv6 loopback address");
        }

        await using var harness = new HolderHarness(options => options.ListenAddress = "+");
        var held = harness.Hold();
        var port = held.Listeners[HolderHarness.Http].Port;

        using var overIPv4 = await TcpBackend.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
        using var overIPv6 = await TcpBackend.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, port));

        await Eventually.TrueAsync(() => harness.Observer.Held == 2, "a connection of each family to be held");
    }

    [Fact]
    public async Task The_deadline_after_endpoints_were_ready_ends_the_hold_drained()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new HolderHarness(time: time);
        using var backend = new TcpBackend();
        var held = harness.Hold(deadline: TimeSpan.FromSeconds(30));
        held.SetReadyEndpoints(HolderHarness.Http, [backend.Endpoint]);

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(HoldEnd.Drained, await held.Ended.Within());
        await held.Completion.Within();
    }

    [Fact]
    public async Task Disposing_the_holder_resets_held_connections_and_closes_the_listeners()
    {
        var harness = new HolderHarness();
        var held = harness.Hold();
        using var client = await harness.ConnectHeldAsync(held);

        await harness.DisposeAsync().AsTask().Within();

        Assert.Equal(SocketError.ConnectionReset, await TcpBackend.ReadErrorAsync(client));
        Assert.Equal(1, harness.Observer.Resets(ResetReason.Shutdown));
        Assert.True(held.Completion.IsCompleted);
        Assert.Equal(HoldEnd.Failed, await held.Ended.Within());
    }

    private static bool CanBindIPv6Loopback()
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
