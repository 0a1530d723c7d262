using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Demo;

/// <summary>Narrates Controller_Event rows as they appear in and leave the Southbound, with its own monitor.</summary>
public sealed class SouthboundTap(string remote, Narrator narrator) : IAsyncDisposable
{
    private readonly OvsdbClient client = new(new OvsdbClientOptions { Remote = remote });
    private int rows;

    public int Rows => Volatile.Read(ref rows);

    public int Inserted { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var monitor = client.Monitor(OvnTables.Southbound, ControllerEventRow.AllMonitor(), (batch, _) =>
        {
            foreach (var change in batch.Changes)
            {
                if (change.Kind == TableChangeKind.Inserted && change.New is { } row)
                {
                    Interlocked.Increment(ref rows);
                    Inserted++;
                    row.EventInfo.TryGetValue("vip", out var vip);
                    row.EventInfo.TryGetValue("protocol", out var protocol);
                    narrator.Step("southbound", $"Controller_Event {Short(row.Uuid)} inserted: {row.EventType} vip={vip} protocol={protocol} seq_num={row.SeqNum} chassis={(row.Chassis is { } chassis ? Short(chassis) : "(none)")}");
                }
                else if (change.Kind == TableChangeKind.Deleted)
                {
                    Interlocked.Decrement(ref rows);
                    narrator.Step("southbound", $"Controller_Event {Short(change.Uuid)} deleted (acknowledged)");
                }
            }

            return ValueTask.CompletedTask;
        });
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        await monitor.WaitForInitialAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();

    private static string Short(Guid uuid) => uuid.ToString()[..8];
}
