using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Operator.Northbound;

/// <summary>
/// Monitors NB Load_Balancer rows into the index the mapper (owners) and the backend gate (VIPs
/// with backends) read. Read-only, so it runs on every replica and a standby starts warm.
/// </summary>
public sealed class NorthboundWatcher(
    [FromKeyedServices(DatabaseKeys.Northbound)] OvsdbClient northbound,
    LoadBalancerIndex index,
    ReadinessSignals readiness,
    UnidlerMetrics metrics) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        readiness.Register(ReadinessNames.Northbound);
        var initialDone = false;
        northbound.StateChanged += state =>
        {
            var connected = state.Status == OvsdbConnectionStatus.Connected;
            metrics.DatabaseConnected("northbound", connected);
            if (Volatile.Read(ref initialDone))
            {
                // The index keeps serving its last view while disconnected; /readyz says it may be stale.
                readiness.Set(ReadinessNames.Northbound, connected);
            }
        };
        var monitor = northbound.Monitor(OvnTables.Northbound, LoadBalancerRow.Monitor(), (batch, _) =>
        {
            Apply(batch);
            return ValueTask.CompletedTask;
        });
        await northbound.StartAsync(stoppingToken).ConfigureAwait(false);
        await monitor.WaitForInitialAsync(stoppingToken).ConfigureAwait(false);
        Volatile.Write(ref initialDone, true);
        readiness.Set(ReadinessNames.Northbound, northbound.IsConnected);
        await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
    }

    private void Apply(TableChangeBatch<LoadBalancerRow> batch)
    {
        foreach (var change in batch.Changes)
        {
            if (change.New is { } row)
            {
                index.Upsert(ToInfo(row));
            }
            else
            {
                index.Remove(change.Uuid);
            }
        }
    }

    /// <summary>VIP keys are normalised (IPv6 written as OVN may not compress it) so lookups by VipEndpoint match.</summary>
    internal static LoadBalancerInfo ToInfo(LoadBalancerRow row)
    {
        var normalised = row.Vips.Select(pair => new KeyValuePair<string, string>(
            VipEndpoint.TryParse(pair.Key, out var endpoint) ? endpoint.ToString() : pair.Key, pair.Value)).ToArray();
        IReadOnlyDictionary<string, string> vips = normalised.Select(pair => pair.Key).SequenceEqual(row.Vips.Keys, StringComparer.Ordinal)
            ? row.Vips
            : OvsdbStringMap.From(normalised);
        TransportProtocols.TryParse(row.Protocol ?? "tcp", out var protocol);
        return new LoadBalancerInfo(row.Uuid, row.Name, protocol, LoadBalancerInfo.OwnerFrom(row.ExternalIds), vips, row.ExternalIds);
    }
}
