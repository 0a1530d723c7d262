using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Benchmarks.Pipeline;

/// <summary>Counts Controller_Event rows from a monitor of its own, so that "every row deleted" is seen without polling the server.</summary>
public sealed class RowCounter : IAsyncDisposable
{
    private readonly OvsdbClient client;
    private readonly TableMonitor<ControllerEventRow> monitor;

    private RowCounter(OvsdbClient client, TableMonitor<ControllerEventRow> monitor)
    {
        this.client = client;
        this.monitor = monitor;
    }

    public int Rows => monitor.Count;

    public static async Task<RowCounter> StartAsync(string remote, CancellationToken cancellationToken)
    {
        var client = new OvsdbClient(new OvsdbClientOptions { Remote = remote });
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.AllMonitor(), (_, _) => ValueTask.CompletedTask);
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        await monitor.WaitForInitialAsync(cancellationToken).ConfigureAwait(false);
        return new RowCounter(client, monitor);
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
