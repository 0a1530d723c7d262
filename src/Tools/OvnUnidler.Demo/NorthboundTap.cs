using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Demo;

/// <summary>Narrates changes of load-balancer backends in the Northbound.</summary>
public sealed class NorthboundTap(string remote, Narrator narrator) : IAsyncDisposable
{
    private readonly OvsdbClient client = new(new OvsdbClientOptions { Remote = remote });
    private readonly Dictionary<(Guid, string), string> backends = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var monitor = client.Monitor(OvnTables.Northbound, LoadBalancerRow.Monitor(), (batch, _) =>
        {
            foreach (var change in batch.Changes)
            {
                if (change.New is not { } row)
                {
                    continue;
                }

                foreach (var (vip, value) in row.Vips)
                {
                    var known = backends.TryGetValue((row.Uuid, vip), out var previous);
                    backends[(row.Uuid, vip)] = value;
                    if (!batch.IsResync && (!known || previous != value))
                    {
                        narrator.Step("northbound", $"Load_Balancer {row.Name} vip {vip} -> backends \"{value}\"");
                    }
                }
            }

            return ValueTask.CompletedTask;
        });
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        await monitor.WaitForInitialAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
