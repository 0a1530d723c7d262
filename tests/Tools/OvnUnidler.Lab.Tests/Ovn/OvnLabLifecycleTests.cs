using System.Net.Sockets;
using OvnUnidler.Lab.Ovn;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Tests.Ovn;

public sealed class OvnLabLifecycleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dispose_stops_every_daemon_the_lab_started()
    {
        var ct = TestContext.Current.CancellationToken;
        var lab = await OvnLab.StartAsync(new OvnLabOptions { Chassis = 2, SouthboundTcp = true, DirectoryPrefix = "labdis" }, ct).WaitAsync(Deadline, ct);
        IReadOnlyList<int> pids;
        string directory;
        try
        {
            pids = lab.Pids;
            directory = lab.Directory;
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", lab.Southbound.TcpPort!.Value, ct).AsTask().WaitAsync(Deadline, ct);
            Assert.StartsWith("tcp:127.0.0.1:", lab.SouthboundTcpRemote, StringComparison.Ordinal);
            Assert.Equal(3 + 2 * 3, pids.Count);
            Assert.All(pids, pid => Assert.True(ProcessTable.IsRunning(pid), $"pid {pid} should run"));
        }
        finally
        {
            await lab.DisposeAsync().AsTask().WaitAsync(Deadline, ct);
        }

        Assert.All(pids, pid => Assert.False(ProcessTable.IsRunning(pid), $"pid {pid} still runs"));
        Assert.Empty(ProcessTable.RunningWith(directory));
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Failed_start_stops_what_it_had_started_and_says_why()
    {
        var ct = TestContext.Current.CancellationToken;
        // A unique prefix: the only way to find the lab's processes when StartAsync never returns it.
        var prefix = $"labf{Random.Shared.Next(0x1000):x3}";

        // ovn-northd 23.03 only warns about an unknown option, but a control socket it cannot
        // bind is fatal; the later --unixctl wins over the lab's own.
        var options = new OvnLabOptions { DirectoryPrefix = prefix, Chassis = 2, NorthdArguments = ["--unixctl=/nonexistent/northd.ctl"] };

        var error = await Assert.ThrowsAsync<LabCommandException>(() => OvnLab.StartAsync(options, ct).WaitAsync(Deadline, ct));

        Assert.Contains("ovn-northd", error.Command, StringComparison.Ordinal);
        Assert.Empty(ProcessTable.RunningWith($"/tmp/{prefix}-"));
    }

    [Fact]
    public async Task Exited_controller_deletes_its_chassis_row_and_can_start_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var lab = await OvnLab.StartAsync(new OvnLabOptions { DirectoryPrefix = "labexit" }, ct).WaitAsync(Deadline, ct);
        var hv1 = lab.Chassis[0];
        var pid = hv1.ControllerPid!.Value;
        Assert.NotNull(await hv1.GetChassisUuidAsync(ct).WaitAsync(Deadline, ct));

        await hv1.ExitControllerAsync(ct).WaitAsync(Deadline, ct);

        Assert.False(ProcessTable.IsRunning(pid));
        Assert.Null(await hv1.GetChassisUuidAsync(ct).WaitAsync(Deadline, ct));
        await hv1.RestartControllerAsync(ct).WaitAsync(Deadline, ct);
        Assert.True(hv1.IsControllerRunning);
        Assert.NotNull(await hv1.GetChassisUuidAsync(ct).WaitAsync(Deadline, ct));
    }

    [Fact]
    public async Task Restarted_southbound_keeps_its_rows_and_the_chassis_raise_events_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var lab = await OvnLab.StartAsync(new OvnLabOptions { DirectoryPrefix = "labsbr" }, ct).WaitAsync(Deadline, ct);
        var logicalSwitch = await lab.AddSwitchAsync("sw0", "192.168.1.0/24", ct).WaitAsync(Deadline, ct);
        var bound = await lab.Chassis[0].BindPortAsync(await lab.AddPortAsync(logicalSwitch, "sw0-p1", ct), ofport: 1, ct).WaitAsync(Deadline, ct);
        var before = await lab.AddLoadBalancerAsync(
            new LabLoadBalancerSpec { Name = "lb-before", Vips = ["10.96.0.10:80"], Switches = ["sw0"] }, ct).WaitAsync(Deadline, ct);
        await lab.WaitForHypervisorSyncAsync(ct).WaitAsync(Deadline, ct);
        await lab.Chassis[0].SendAsync(LabPacket.To("10.96.0.10:80", bound), ct).WaitAsync(Deadline, ct);
        var rowBefore = Assert.Single(await lab.WaitForControllerEventsAsync(1, TimeSpan.FromSeconds(10), row => row.LoadBalancer == before, ct).WaitAsync(Deadline, ct));
        var pidBefore = lab.Southbound.Pid;

        await lab.Southbound.RestartAsync(ct).WaitAsync(Deadline, ct);
        var after = await lab.AddLoadBalancerAsync(
            new LabLoadBalancerSpec { Name = "lb-after", Vips = ["10.96.0.11:80"], Switches = ["sw0"] }, ct).WaitAsync(Deadline, ct);
        // Returns once ovn-northd and ovn-controller have reconnected and installed the new flows.
        await lab.WaitForHypervisorSyncAsync(ct).WaitAsync(Deadline, ct);
        await lab.Chassis[0].SendAsync(LabPacket.To("10.96.0.11:80", bound), ct).WaitAsync(Deadline, ct);
        var rows = await lab.WaitForControllerEventsAsync(2, TimeSpan.FromSeconds(10), ct).WaitAsync(Deadline, ct);

        Assert.NotEqual(pidBefore, lab.Southbound.Pid);
        Assert.Contains(rows, row => row.Uuid == rowBefore.Uuid);
        Assert.Contains(rows, row => row.LoadBalancer == after);
    }
}
