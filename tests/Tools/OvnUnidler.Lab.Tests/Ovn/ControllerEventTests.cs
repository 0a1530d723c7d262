using OvnUnidler.Lab.Ovn;

namespace OvnUnidler.Lab.Tests.Ovn;

public sealed class ControllerEventTests(OvnLabFixture fixture) : IClassFixture<OvnLabFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(10);

    private OvnLab Lab => fixture.Lab;

    [Fact]
    public async Task Packet_to_ipv4_tcp_vip_raises_exactly_one_empty_lb_backends_row()
    {
        var ct = TestContext.Current.CancellationToken;
        const string vip = "10.96.0.10:80";
        var loadBalancer = await Lab.AddLoadBalancerAsync(
            new LabLoadBalancerSpec
            {
                Name = "lb-tcp4",
                Vips = [vip],
                Switches = [OvnLabFixture.Switch],
                ExternalIds = LabLoadBalancerSpec.ServiceExternalIds("shop", "web"),
            },
            ct).WaitAsync(Deadline, ct);
        await Lab.WaitForHypervisorSyncAsync(ct).WaitAsync(Deadline, ct);

        await Lab.Chassis[0].SendAsync(LabPacket.To(vip, fixture.Hv1Port), ct).WaitAsync(Deadline, ct);
        var rows = await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct);

        var row = Assert.Single(rows);
        Assert.Equal("empty_lb_backends", row.EventType);
        Assert.Equal(vip, row.Vip);
        Assert.Equal("tcp", row.Protocol);
        Assert.Equal(await Lab.Chassis[0].GetChassisUuidAsync(ct).WaitAsync(Deadline, ct), row.Chassis);
        Assert.True(row.SeqNum >= 1);
        var owner = await Lab.NbctlAsync(["get", "Load_Balancer", loadBalancer, "external_ids:\"k8s.ovn.org/owner\""], ct).WaitAsync(Deadline, ct);
        Assert.Equal("\"shop/web\"", owner);
    }

    [Fact]
    public async Task Packet_to_ipv6_udp_vip_raises_a_row_with_the_bracketed_vip()
    {
        var ct = TestContext.Current.CancellationToken;
        const string vip = "[fd00::10]:53";
        var loadBalancer = await fixture.AddEventLoadBalancerAsync("lb-udp6", vip, LabProtocol.Udp, ct).WaitAsync(Deadline, ct);

        await Lab.Chassis[0].SendAsync(LabPacket.To(vip, fixture.Hv1Port, LabProtocol.Udp), ct).WaitAsync(Deadline, ct);
        var rows = await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct);

        var row = Assert.Single(rows);
        Assert.Equal(vip, row.Vip);
        Assert.Equal("udp", row.Protocol);
    }

    [Fact]
    public async Task Packets_from_two_chassis_to_one_vip_raise_one_row_per_chassis()
    {
        var ct = TestContext.Current.CancellationToken;
        const string vip = "10.96.0.20:8080";
        var loadBalancer = await fixture.AddEventLoadBalancerAsync("lb-two-chassis", vip, LabProtocol.Tcp, ct).WaitAsync(Deadline, ct);

        await Task.WhenAll(
            Lab.Chassis[0].SendAsync(LabPacket.To(vip, fixture.Hv1Port), ct),
            Lab.Chassis[1].SendAsync(LabPacket.To(vip, fixture.Hv2Port), ct)).WaitAsync(Deadline, ct);
        var rows = await Lab.WaitForControllerEventsAsync(2, EventWait, row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct);

        var expected = new[]
        {
            await Lab.Chassis[0].GetChassisUuidAsync(ct).WaitAsync(Deadline, ct),
            await Lab.Chassis[1].GetChassisUuidAsync(ct).WaitAsync(Deadline, ct),
        };
        Assert.Equal(expected.Order(), rows.Select(row => row.Chassis).Order());
        Assert.All(rows, row => Assert.Equal(vip, row.Vip));
    }

    [Fact]
    public async Task Vip_that_got_backends_raises_no_row_for_the_next_packet()
    {
        var ct = TestContext.Current.CancellationToken;
        const string vip = "10.96.0.30:80";
        const string canaryVip = "10.96.0.31:80";
        var loadBalancer = await fixture.AddEventLoadBalancerAsync("lb-backends", vip, LabProtocol.Tcp, ct).WaitAsync(Deadline, ct);
        var canary = await fixture.AddEventLoadBalancerAsync("lb-canary", canaryVip, LabProtocol.Tcp, ct).WaitAsync(Deadline, ct);
        await Lab.Chassis[0].SendAsync(LabPacket.To(vip, fixture.Hv1Port), ct).WaitAsync(Deadline, ct);
        var beforeBackends = await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct);
        await Lab.DeleteControllerEventsAsync(beforeBackends.Select(row => row.Uuid), ct).WaitAsync(Deadline, ct);

        await Lab.SetBackendsAsync(loadBalancer, vip, ["192.168.1.200:8080"], ct).WaitAsync(Deadline, ct);
        await Lab.WaitForHypervisorSyncAsync(ct).WaitAsync(Deadline, ct);
        await Lab.Chassis[0].SendAsync(LabPacket.To(vip, fixture.Hv1Port), ct).WaitAsync(Deadline, ct);
        await Lab.Chassis[0].SendAsync(LabPacket.To(canaryVip, fixture.Hv1Port), ct).WaitAsync(Deadline, ct);

        // The canary was sent after the packet under test, so once its row is there the chassis
        // has handled both; absence itself cannot be awaited, so allow two more seconds for a late row.
        await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == canary, ct).WaitAsync(Deadline, ct);
        await Assert.ThrowsAsync<TimeoutException>(
            () => Lab.WaitForControllerEventsAsync(1, TimeSpan.FromSeconds(2), row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct));
    }

    [Fact]
    public async Task Restarted_controller_keeps_its_chassis_and_raises_events_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var hv1 = Lab.Chassis[0];
        var chassisBefore = await hv1.GetChassisUuidAsync(ct).WaitAsync(Deadline, ct);
        var pidBefore = hv1.ControllerPid!.Value;

        await hv1.RestartControllerAsync(ct).WaitAsync(Deadline, ct);
        const string vip = "10.96.0.40:80";
        var loadBalancer = await fixture.AddEventLoadBalancerAsync("lb-restart", vip, LabProtocol.Tcp, ct).WaitAsync(Deadline, ct);
        await hv1.SendAsync(LabPacket.To(vip, fixture.Hv1Port), ct).WaitAsync(Deadline, ct);
        var rows = await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct);

        Assert.False(ProcessTable.IsRunning(pidBefore));
        Assert.NotEqual(pidBefore, hv1.ControllerPid);
        var row = Assert.Single(rows);
        Assert.Equal(chassisBefore, row.Chassis);
        // seq_num counts inside one ovn-controller process and starts again at 1 (docs/ovn-facts.md).
        Assert.Equal(1, row.SeqNum);
    }

    [Fact]
    public async Task Packet_on_an_interface_the_switch_does_not_have_fails_with_the_daemons_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var packet = LabPacket.To("10.96.0.50:80", fixture.Hv1Port) with { Interface = "vif99" };

        var error = await Assert.ThrowsAsync<UnixctlException>(() => Lab.Chassis[0].SendAsync(packet, ct).WaitAsync(Deadline, ct));

        Assert.Contains("no such dummy netdev", error.Error, StringComparison.Ordinal);
        await Lab.Chassis[0].SendAsync(LabPacket.To("10.96.0.50:80", fixture.Hv1Port), ct).WaitAsync(Deadline, ct);
    }

    [Fact]
    public async Task Packet_to_sctp_vip_raises_a_row_with_protocol_sctp()
    {
        var ct = TestContext.Current.CancellationToken;
        const string vip = "10.96.0.60:9999";
        var loadBalancer = await fixture.AddEventLoadBalancerAsync("lb-sctp", vip, LabProtocol.Sctp, ct).WaitAsync(Deadline, ct);

        await Lab.Chassis[1].SendAsync(LabPacket.To(vip, fixture.Hv2Port, LabProtocol.Sctp), ct).WaitAsync(Deadline, ct);
        var rows = await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct);

        Assert.Equal("sctp", Assert.Single(rows).Protocol);
    }

    [Fact]
    public async Task Concurrent_packets_on_one_chassis_all_arrive_and_raise_one_row_while_it_stands()
    {
        var ct = TestContext.Current.CancellationToken;
        const string vip = "10.96.0.70:80";
        const string canaryVip = "10.96.0.71:80";
        var loadBalancer = await fixture.AddEventLoadBalancerAsync("lb-burst", vip, LabProtocol.Tcp, ct).WaitAsync(Deadline, ct);
        var canary = await fixture.AddEventLoadBalancerAsync("lb-burst-canary", canaryVip, LabProtocol.Tcp, ct).WaitAsync(Deadline, ct);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(index =>
            Lab.Chassis[0].SendAsync(LabPacket.To(vip, fixture.Hv1Port) with { SourcePort = 41000 + index }, ct))).WaitAsync(Deadline, ct);
        await Lab.Chassis[0].SendAsync(LabPacket.To(canaryVip, fixture.Hv1Port), ct).WaitAsync(Deadline, ct);

        // Rows follow the order of the packets, so once the canary's row is there the burst has
        // been handled; while its row stands, a VIP raises no second row from that chassis (docs/ovn-facts.md).
        await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == canary, ct).WaitAsync(Deadline, ct);
        var rows = await Lab.WaitForControllerEventsAsync(1, EventWait, row => row.LoadBalancer == loadBalancer, ct).WaitAsync(Deadline, ct);
        Assert.Single(rows);
    }

    [Fact]
    public async Task Backends_of_an_ipv6_vip_are_written_under_its_bracketed_key()
    {
        var ct = TestContext.Current.CancellationToken;
        const string vip = "[fd00::80]:8080";
        var loadBalancer = await Lab.AddLoadBalancerAsync(
            new LabLoadBalancerSpec { Name = "lb-ipv6-backends", Vips = [vip], Switches = [OvnLabFixture.Switch] }, ct).WaitAsync(Deadline, ct);

        await Lab.SetBackendsAsync(loadBalancer, vip, ["[fd00:1::20]:8080", "[fd00:1::21]:8080"], ct).WaitAsync(Deadline, ct);

        var backends = await Lab.NbctlAsync(["get", "Load_Balancer", loadBalancer, $"vips:\"{vip}\""], ct).WaitAsync(Deadline, ct);
        Assert.Equal("\"[fd00:1::20]:8080,[fd00:1::21]:8080\"", backends);
        Assert.Equal("{\"[fd00::80]:8080\"=\"[fd00:1::20]:8080,[fd00:1::21]:8080\"}", await Lab.NbctlAsync(["get", "Load_Balancer", loadBalancer, "vips"], ct).WaitAsync(Deadline, ct));
    }
}
