using OvnUnidler.Lab.Ovn;
using OvnUnidler.Operator.Recording;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Demo;

/// <summary>
/// `record-fixtures DIRECTORY`: records the Controller_Event streams the replay tests use from the
/// real lab (packets into ovn-controller, never hand-written rows), one JSON-lines file per scenario.
/// </summary>
public sealed class FixtureRecording(TextWriter output)
{
    private static readonly TimeSpan RowTimeout = TimeSpan.FromSeconds(20);

    public async Task<int> RunAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await RecordAsync(Path.Combine(directory, "single-wake.jsonl"), 1, expectedRows: 1, async (lab, clients, web, _) =>
            await lab.Chassis[0].SendAsync(LabPacket.To(web, clients[0]), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        await RecordAsync(Path.Combine(directory, "burst-several-chassis.jsonl"), 3, expectedRows: 6, async (lab, clients, web, api) =>
        {
            // Each chassis sends many packets to both VIPs; OVN writes one row per VIP and chassis.
            for (var round = 0; round < 20; round++)
            {
                await Task.WhenAll(lab.Chassis.Select((chassis, i) => Task.WhenAll(
                    chassis.SendAsync(LabPacket.To(web, clients[i]), cancellationToken),
                    chassis.SendAsync(LabPacket.To(api, clients[i]), cancellationToken)))).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);

        await RecordAsync(Path.Combine(directory, "ovn-controller-restart.jsonl"), 2, expectedRows: 3, async (lab, clients, web, api) =>
        {
            await lab.Chassis[0].SendAsync(LabPacket.To(web, clients[0]), cancellationToken).ConfigureAwait(false);
            await WaitForRowsAsync(lab, 1, cancellationToken).ConfigureAwait(false);
            // seq_num restarts at 1 in the new process; the old row stays (docs/ovn-facts.md).
            await lab.Chassis[0].RestartControllerAsync(cancellationToken).ConfigureAwait(false);
            await lab.Chassis[0].SendAsync(LabPacket.To(api, clients[0]), cancellationToken).ConfigureAwait(false);
            await lab.Chassis[1].SendAsync(LabPacket.To(web, clients[1]), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private async Task RecordAsync(
        string path, int chassisCount, int expectedRows, Func<OvnLab, IReadOnlyList<LabBinding>, string, string, Task> traffic, CancellationToken cancellationToken)
    {
        await using var lab = await OvnLab.StartAsync(new OvnLabOptions { Chassis = chassisCount, DirectoryPrefix = "fixture" }, cancellationToken).ConfigureAwait(false);
        var network = await lab.AddSwitchAsync("sw0", "192.168.1.0/24", cancellationToken).ConfigureAwait(false);
        var clients = new List<LabBinding>();
        for (var i = 0; i < chassisCount; i++)
        {
            var port = await lab.AddPortAsync(network, $"client-{i + 1}", cancellationToken).ConfigureAwait(false);
            clients.Add(await lab.Chassis[i].BindPortAsync(port, 1, cancellationToken).ConfigureAwait(false));
        }

        const string Web = "10.96.0.10:80";
        const string Api = "10.96.0.11:8080";
        foreach (var (name, vip) in new[] { ("web", Web), ("api", Api) })
        {
            await lab.AddLoadBalancerAsync(new LabLoadBalancerSpec
            {
                Name = $"Service_shop/{name}_TCP_cluster",
                Vips = [vip],
                Switches = [network.Name],
                ExternalIds = LabLoadBalancerSpec.ServiceExternalIds("shop", name),
            }, cancellationToken).ConfigureAwait(false);
        }

        await lab.WaitForHypervisorSyncAsync(cancellationToken).ConfigureAwait(false);
        await using var southbound = new OvsdbClient(new OvsdbClientOptions { Remote = lab.SouthboundRemote });
        await using var file = new StreamWriter(path);
        await using var lines = new LineCountingWriter(file);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var recording = new EventRecorder(southbound, TimeProvider.System).RecordAsync(lines, includeExisting: false, stop.Token);
        await southbound.WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
        await traffic(lab, clients, Web, Api).ConfigureAwait(false);
        await WaitForRowsAsync(lab, expectedRows, cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RowTimeout);
        while (lines.Lines < expectedRows)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        var count = await recording.ConfigureAwait(false);
        await output.WriteLineAsync($"recorded {count} row(s) into {path}").ConfigureAwait(false);
        if (count != expectedRows)
        {
            throw new InvalidOperationException($"{path}: expected {expectedRows} rows from the lab, recorded {count}");
        }
    }

    private static async Task WaitForRowsAsync(OvnLab lab, int count, CancellationToken cancellationToken) =>
        await lab.WaitForControllerEventsAsync(count, RowTimeout, cancellationToken).ConfigureAwait(false);
}
