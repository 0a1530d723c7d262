using System.Net;
using System.Net.Sockets;
using OvnUnidler.Holding.Tests.Harness;

namespace OvnUnidler.Holding.Tests;

/// <summary>A hold that names a preferred port per held port (mode observe: the Service's targetPort), with real sockets.</summary>
public sealed class PreferredPortTests
{
    [Fact]
    public async Task Listens_on_the_preferred_port_outside_the_range_when_it_is_free_and_holds_a_connection_there()
    {
        await using var harness = new HolderHarness();
        var preferred = HolderHarness.FreePort();

        var held = Hold(harness, "shop/web", (HolderHarness.Http, preferred));

        Assert.Equal(preferred, held.Listeners[HolderHarness.Http].Port);
        using var client = await TcpBackend.ConnectAsync(new IPEndPoint(IPAddress.Loopback, preferred));
        await Eventually.TrueAsync(() => harness.Observer.Held == 1, "the connection held on the preferred port");
    }

    [Fact]
    public async Task Gives_the_tcp_and_the_udp_port_of_one_service_the_same_preferred_number()
    {
        await using var harness = new HolderHarness();
        var preferred = HolderHarness.FreePort();

        var held = Hold(harness, "kube-system/dns", (HolderHarness.Http, preferred), (HolderHarness.Dns, preferred));

        Assert.Equal(preferred, held.Listeners[HolderHarness.Http].Port);
        Assert.Equal(preferred, held.Listeners[HolderHarness.Dns].Port);
        using var client = new UdpPeer();
        await harness.SendKeptAsync(client, held, "q1");
    }

    [Fact]
    public async Task Falls_back_to_the_range_when_another_socket_listens_on_the_preferred_port()
    {
        await using var harness = new HolderHarness();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var held = Hold(harness, "shop/web", (HolderHarness.Http, taken));

        Assert.InRange(held.Listeners[HolderHarness.Http].Port, harness.Options.FirstPort, harness.Options.LastPort);
        await harness.ConnectHeldAsync(held);
    }

    [Theory]
    [InlineData(HeldProtocol.Tcp)]
    [InlineData(HeldProtocol.Udp)]
    public async Task Falls_back_to_the_range_when_another_held_service_has_the_preferred_port_and_takes_it_once_that_hold_completed(HeldProtocol protocol)
    {
        await using var harness = new HolderHarness();
        var preferred = HolderHarness.FreePort();
        var port = protocol == HeldProtocol.Tcp ? HolderHarness.Http : new HeldPort("http", HeldProtocol.Udp);
        var first = Hold(harness, "shop/web", (port, preferred));

        var second = Hold(harness, "blog/web", (port, preferred));

        Assert.Equal(preferred, first.Listeners[port].Port);
        Assert.InRange(second.Listeners[port].Port, harness.Options.FirstPort, harness.Options.LastPort);
        await first.EndAsync(HoldEnd.Failed).Within();
        await first.Completion.Within();
        var third = Hold(harness, "news/web", (port, preferred));
        Assert.Equal(preferred, third.Listeners[port].Port);
    }

    [Fact]
    public async Task Takes_a_preferred_port_inside_the_range_from_the_range_so_no_other_hold_gets_it()
    {
        await using var harness = new HolderHarness();
        var preferred = harness.Options.FirstPort + 3;

        var first = Hold(harness, "shop/web", (HolderHarness.Http, preferred));
        var others = Enumerable.Range(0, HolderHarness.PortsEach - 1).Select(i => harness.Hold($"ns{i}/web")).ToList();

        Assert.Equal(preferred, first.Listeners[HolderHarness.Http].Port);
        Assert.DoesNotContain(others, held => held.Listeners[HolderHarness.Http].Port == preferred);
        Assert.Null(harness.Holder.Hold(new HoldRequest("full/web", [HolderHarness.Http], DateTimeOffset.UtcNow.AddMinutes(1))));
    }

    private static HeldService Hold(HolderHarness harness, string service, params (HeldPort Port, int Preferred)[] ports) =>
        harness.Holder.Hold(new HoldRequest(
            service, [.. ports.Select(port => port.Port)], harness.Time.GetUtcNow().AddMinutes(10), ports.ToDictionary(port => port.Port, port => port.Preferred)))
        ?? throw new InvalidOperationException($"no hold for {service}");
}
