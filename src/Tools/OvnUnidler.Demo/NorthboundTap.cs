using System.Collections.Concurrent;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Demo;

/// <summary>
/// Narrates changes of load-balancer backends in the Northbound; <paramref name="describe"/> may
/// say what a backends value is (e.g. the holder's address), and <see cref="Changes"/> keeps each value shown.
/// </summary>
public sealed class NorthboundTap(string remote, Narrator narrator, Func<string, string?>? describe = null) : IAsyncDisposable
{
    private readonly OvsdbClient client = new(new OvsdbClientOptions { Remote = remote });
    private readonly Dictionary<(Guid, string), string> backends = [];
    private readonly ConcurrentQueue<string> changes = new();

    /// <summary>Each backends value narrated, in order.</summary>
    public IReadOnlyCollection<string> Changes => changes.ToArray();

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
                        changes.Enqueue(value);
                        var what = describe?.Invoke(value) is { } said ? $" ({said})" : "";
                        narrator.Step("northbound", $"Load_Balancer {row.Name} vip {vip} -> backends \"{value}\"{what}");
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
