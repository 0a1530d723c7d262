using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Mode write, on the acting instance: while a VIP of a Load_Balancer names one of this process's
/// live hold listeners, the row's external_ids carry <see cref="HolderKey"/> (this holder's address)
/// and <see cref="RenewedKey"/>, rewritten every Unidler:HoldRenewal, so that every instance can
/// tell a dead holder's entry by its renewal stopping (<see cref="NorthboundHolderSweeper"/>).
/// Both keys go once no VIP of the row names the holder they name.
/// </summary>
public sealed partial class NorthboundHolderStamps(
    [FromKeyedServices(DatabaseKeys.Northbound)] OvsdbClient northbound,
    LoadBalancerIndex loadBalancers,
    ActiveHolds holds,
    IOptions<UnidlerOptions> options,
    IOptions<HoldingOptions> holding,
    TimeProvider timeProvider,
    ILogger<NorthboundHolderStamps> logger) : IPipelineStage
{
    public const string HolderKey = "unidler.ovn.org/holder";
    public const string RenewedKey = "unidler.ovn.org/holder-renewed";

    private readonly IPAddress? address = options.Value.HolderIPAddress();
    private readonly Dictionary<Guid, DateTimeOffset> stamped = [];

    public string Name => "holder-stamps";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (address is null)
        {
            return;
        }

        var renewal = options.Value.HoldRenewal;
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = Task.WhenAny(loadBalancers.NextChange, holds.NextChange);
            await PassAsync(cancellationToken).ConfigureAwait(false);
            // A pass renews what is half a renewal old, so a wake-up a little early never stretches it to two.
            await Task.WhenAny(changed, Task.Delay(renewal, timeProvider, cancellationToken)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass over every load balancer: stamp, renew or unstamp, all in one transaction.</summary>
    internal async Task PassAsync(CancellationToken cancellationToken)
    {
        var own = address!.ToString();
        var live = LiveListeners(holds, address);
        var now = timeProvider.GetUtcNow();
        var writes = new List<(LoadBalancerInfo Balancer, OvsdbOperation Operation, string? Change)>();
        foreach (var balancer in loadBalancers.All)
        {
            balancer.ExternalIds.TryGetValue(HolderKey, out var holder);
            if (balancer.Vips.Values.Any(backends => BackendList.Entries(backends).Any(live.Contains)))
            {
                if (holder != own || !balancer.ExternalIds.ContainsKey(RenewedKey)
                    || !stamped.TryGetValue(balancer.Uuid, out var last) || now - last >= options.Value.HoldRenewal / 2)
                {
                    writes.Add((balancer, Mutate(balancer, [.. Unstamp(), new OvsdbMutation("external_ids", "insert", OvsdbWire.Map([new(HolderKey, own), new(RenewedKey, RenewalStamp.Of(now))]))]),
                        holder != own ? $"holder {own} stamped" : null));
                    stamped[balancer.Uuid] = now;
                }
            }
            else if (holder is not null && !Names(balancer, holder, holding.Value))
            {
                writes.Add((balancer, Mutate(balancer, [.. Unstamp()]), $"no VIP names holder {holder} any more; its keys removed"));
                stamped.Remove(balancer.Uuid);
            }
        }

        foreach (var gone in stamped.Keys.Where(uuid => !loadBalancers.TryGet(uuid, out _)).ToArray())
        {
            stamped.Remove(gone);
        }

        if (writes.Count == 0)
        {
            return;
        }

        try
        {
            await northbound.TransactAsync(OvnTables.Northbound, [.. writes.Select(write => write.Operation)], cancellationToken).ConfigureAwait(false);
            foreach (var (balancer, _, change) in writes.Where(write => write.Change is not null))
            {
                LogStamped(logger, balancer.Name, change!);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            foreach (var (balancer, _, _) in writes)
            {
                stamped.Remove(balancer.Uuid);
            }

            LogFailed(logger, exception, string.Join(", ", writes.Select(write => write.Balancer.Name)));
        }
    }

    private static OvsdbOperation Mutate(LoadBalancerInfo balancer, IReadOnlyList<OvsdbMutation> mutations) =>
        OvsdbOperation.Mutate(OvnTables.LoadBalancer, [OvsdbCondition.Uuid(balancer.Uuid)], mutations);

    /// <summary>"ADDRESS:PORT" of every listener of a hold under way in this process.</summary>
    internal static HashSet<string> LiveListeners(ActiveHolds holds, IPAddress address) =>
        [.. holds.All.Where(hold => !hold.HasEnded).SelectMany(hold => hold.AllListeners)
            .Where(listener => listener.Address.Equals(address)).Select(HoldTracker.Format)];

    /// <summary>Whether a VIP of the row lists a holder backend at this address (<see cref="IsHolderBackend"/>).</summary>
    internal static bool Names(LoadBalancerInfo balancer, string holder, HoldingOptions holding) =>
        IPAddress.TryParse(holder, out var address)
        && balancer.Vips.Values.Any(backends => BackendList.Entries(backends).Any(backend => IsHolderBackend(backend, address, holding)));

    /// <summary>
    /// A backend at the holder's address on a port of the holder's range. The operator pod's address
    /// may also be a Service's endpoint (its own metrics Service, say) on another port: that is
    /// never a holder's entry.
    /// </summary>
    internal static bool IsHolderBackend(string backend, IPAddress address, HoldingOptions holding) =>
        VipEndpoint.TryParse(backend, out var endpoint) && endpoint.Address.Equals(address)
        && endpoint.Port is { } port && port >= holding.FirstPort && port <= holding.LastPort;

    /// <summary>RFC 7047 section 5.1: a map "delete" by a set of keys; the "insert" after it then writes new values.</summary>
    internal static IEnumerable<OvsdbMutation> Unstamp() =>
        [new OvsdbMutation("external_ids", "delete", OvsdbWire.Set([JsonValue.Create(HolderKey), JsonValue.Create(RenewedKey)]))];

    [LoggerMessage(EventId = EventIds.HolderStamped, EventName = nameof(EventIds.HolderStamped), Level = LogLevel.Information,
        Message = "Load balancer {LoadBalancer}: {Change}")]
    private static partial void LogStamped(ILogger logger, string loadBalancer, string change);

    [LoggerMessage(EventId = EventIds.HolderStampFailed, EventName = nameof(EventIds.HolderStampFailed), Level = LogLevel.Warning,
        Message = "Renewing the holder entries of load balancers {LoadBalancer} failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string loadBalancer);
}
