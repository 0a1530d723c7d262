using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Mode write, on every instance (a standby too: a dead leader's holder entry must not wait for the
/// Lease): removes the backends of a holder whose renewal (<see cref="NorthboundHolderStamps"/>)
/// has not changed for Unidler:HoldStaleAfter on this instance's own clock, never compared with
/// the writer's, and at start those its own address's previous process left. Each removal is one
/// transaction guarded by a "wait" on external_ids as judged, so a renewal that lands first makes
/// it fail and nothing is removed.
/// </summary>
public sealed partial class NorthboundHolderSweeper(
    [FromKeyedServices(DatabaseKeys.Northbound)] OvsdbClient northbound,
    LoadBalancerIndex loadBalancers,
    ActiveHolds holds,
    ReadinessSignals readiness,
    UnidlerMetrics metrics,
    IOptions<UnidlerOptions> options,
    IOptions<HoldingOptions> holding,
    TimeProvider timeProvider,
    ILogger<NorthboundHolderSweeper> logger) : BackgroundService
{
    private readonly IPAddress? address = options.Value.HolderIPAddress();
    private readonly StaleRenewals<Guid> renewals = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WaitUntilReadyAsync([ReadinessNames.Northbound], stoppingToken).ConfigureAwait(false);
            await SweepAsync(atStart: true, stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.HoldRenewal, timeProvider, stoppingToken).ConfigureAwait(false);
                await SweepAsync(atStart: false, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One look at every row with a holder entry: at start, this address's entries (and VIPs naming
    /// this address without one: the previous process may have died between its vips write and its
    /// first stamp) go at once; any other goes once its renewal has stood still for HoldStaleAfter.
    /// </summary>
    internal async Task SweepAsync(bool atStart, CancellationToken cancellationToken)
    {
        var own = address?.ToString();
        var live = address is null ? [] : NorthboundHolderStamps.LiveListeners(holds, address);
        var now = timeProvider.GetUtcNow();
        var present = new HashSet<Guid>();
        foreach (var balancer in loadBalancers.All)
        {
            var holder = balancer.ExternalIds.TryGetValue(NorthboundHolderStamps.HolderKey, out var named) ? named
                : atStart && own is not null && NorthboundHolderStamps.Names(balancer, own, holding.Value) ? own : null;
            if (holder is null)
            {
                continue;
            }

            present.Add(balancer.Uuid);
            if (holder == own && balancer.Vips.Values.Any(backends => BackendList.Entries(backends).Any(live.Contains)))
            {
                renewals.Forget(balancer.Uuid);
                continue;
            }

            var renewed = balancer.ExternalIds.TryGetValue(NorthboundHolderStamps.RenewedKey, out var stamp) ? stamp : string.Empty;
            string? reason = null;
            if (atStart && holder == own)
            {
                reason = "this holder's previous process left it";
            }
            // Another holder taking the row over is a renewal too.
            else if (renewals.StoodStill(balancer.Uuid, $"{holder} {renewed}", now, options.Value.HoldStaleAfter) is { } still)
            {
                reason = $"its renewal has not changed for {still}";
            }

            if (reason is null)
            {
                continue;
            }

            try
            {
                await northbound.TransactAsync(OvnTables.Northbound, RemovalOperations(balancer, holder, holding.Value), cancellationToken).ConfigureAwait(false);
                metrics.StaleHolderRemoved("load_balancer");
                LogRemoved(logger, balancer.Name, holder, reason);
            }
            catch (OvsdbTransactionException exception) when (exception.OperationIndex == 0 && exception.Error == "timed out")
            {
                LogRenewedMeanwhile(logger, balancer.Name, holder);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, exception, balancer.Name);
                continue;
            }

            renewals.Forget(balancer.Uuid);
        }

        renewals.KeepOnly(present);
    }

    /// <summary>
    /// The wait (RFC 7047 section 5.2.6, until "==", timeout 0) fails the whole transaction unless
    /// external_ids still hold exactly what was judged stale; then every backend at the holder's
    /// address on a port of the holder range leaves its VIP (the same address on another port is
    /// a Service's endpoint, e.g. the operator's own metrics) and both keys go.
    /// </summary>
    public static IReadOnlyList<OvsdbOperation> RemovalOperations(LoadBalancerInfo balancer, string holder, HoldingOptions holding)
    {
        var where = new[] { OvsdbCondition.Uuid(balancer.Uuid) };
        var judged = new JsonObject { ["external_ids"] = OvsdbWire.Map(balancer.ExternalIds) };
        var mutations = new List<OvsdbMutation>();
        if (IPAddress.TryParse(holder, out var address))
        {
            var changes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (vip, backends) in balancer.Vips)
            {
                var kept = BackendList.Entries(backends).Where(backend => !NorthboundHolderStamps.IsHolderBackend(backend, address, holding)).ToList();
                if (kept.Count != BackendList.Entries(backends).Count())
                {
                    changes[vip] = string.Join(",", kept);
                }
            }

            if (changes.Count > 0)
            {
                mutations.Add(new OvsdbMutation("vips", "delete", OvsdbWire.Set(changes.Keys.Select(vip => (JsonNode?)JsonValue.Create(vip)))));
                mutations.Add(new OvsdbMutation("vips", "insert", OvsdbWire.Map(changes)));
            }
        }

        mutations.AddRange(NorthboundHolderStamps.Unstamp());
        return
        [
            OvsdbOperation.Wait(OvnTables.LoadBalancer, where, ["external_ids"], [judged], untilEqual: true, timeoutMilliseconds: 0),
            OvsdbOperation.Mutate(OvnTables.LoadBalancer, where, mutations),
        ];
    }

    [LoggerMessage(EventId = EventIds.StaleHolderBackendsRemoved, EventName = nameof(EventIds.StaleHolderBackendsRemoved), Level = LogLevel.Warning,
        Message = "Removed the backends of holder {Holder} from load balancer {LoadBalancer}: {Reason}")]
    private static partial void LogRemoved(ILogger logger, string loadBalancer, string holder, string reason);

    [LoggerMessage(EventId = EventIds.StaleHolderRenewedMeanwhile, EventName = nameof(EventIds.StaleHolderRenewedMeanwhile), Level = LogLevel.Information,
        Message = "Kept holder {Holder} on load balancer {LoadBalancer}: its entry changed while it was being removed")]
    private static partial void LogRenewedMeanwhile(ILogger logger, string loadBalancer, string holder);

    [LoggerMessage(EventId = EventIds.StaleHolderSweepFailed, EventName = nameof(EventIds.StaleHolderSweepFailed), Level = LogLevel.Warning,
        Message = "Removing a stale holder from load balancer {LoadBalancer} failed; the next sweep tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string loadBalancer);
}
