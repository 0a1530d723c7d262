using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Holding;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Mode observe: ovn-kubernetes builds a Service's backends from every EndpointSlice labelled
/// kubernetes.io/service-name (docs/ovn-facts.md), so a held Service gets one more slice, managed
/// by <see cref="EndpointSliceCache.HolderManagedBy"/>, naming the holder's address with the
/// listener port under each Service port's name. It is removed when the pods are ready, and
/// already when one of the Service's own slices declares a port of the same name with another
/// number: ovn-kubernetes takes one number per port name across all slices, so the two together
/// could point the VIP at the holder's address on the pods' port.
/// Crash safety: the slice's renewal annotation changes every Unidler:HoldRenewal; each instance
/// deletes holder slices whose annotation it has seen unchanged for Unidler:HoldStaleAfter (judged
/// on its own clock only, never against the writer's), and at start the slices of its own address
/// that its previous process left.
/// </summary>
public sealed partial class HolderEndpointSlices(
    IKubernetes client,
    ActiveHolds holds,
    EndpointSliceCache endpointSlices,
    UnidlerMetrics metrics,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider,
    ILogger<HolderEndpointSlices> logger) : IPipelineStage
{
    public const string HolderAnnotation = "unidler.ovn.org/holder";
    public const string RenewedAnnotation = "unidler.ovn.org/hold-renewed-at";

    private static readonly string Selector = $"{EndpointSliceCache.ManagedByLabel}={EndpointSliceCache.HolderManagedBy}";

    private readonly Dictionary<ServiceKey, Published> published = [];
    private readonly StaleRenewals<(string Namespace, string Name)> renewals = new();
    private readonly IPAddress? address = options.Value.HolderIPAddress();

    public string Name => "holder-slices";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var renewal = options.Value.HoldRenewal;
        await SweepAsync(atStart: true, cancellationToken).ConfigureAwait(false);
        var nextSweep = timeProvider.GetUtcNow() + renewal;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var changed = Task.WhenAny(holds.NextChange, endpointSlices.NextChange);
                await PublishAsync(cancellationToken).ConfigureAwait(false);
                if (timeProvider.GetUtcNow() >= nextSweep)
                {
                    await SweepAsync(atStart: false, cancellationToken).ConfigureAwait(false);
                    nextSweep = timeProvider.GetUtcNow() + renewal;
                }

                await Task.WhenAny(changed, Task.Delay(renewal, timeProvider, cancellationToken)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Stopping: a slice naming a holder that is going away must not wait for the sweep.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), timeProvider);
            foreach (var key in published.Keys.ToArray())
            {
                await RemoveAsync(key, "the operator is stopping", timeout.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One pass: create, renew or delete this instance's slices to match the holds.</summary>
    internal async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (address is null)
        {
            return;
        }

        var wanted = new Dictionary<ServiceKey, ActiveHold>();
        foreach (var hold in holds.All)
        {
            if (!hold.HasEnded && endpointSlices.ReadyEndpoints(hold.Key).Count == 0 && !CollidesWithOwnSlices(hold))
            {
                wanted[hold.Key] = hold;
            }
        }

        foreach (var key in published.Keys.Where(key => !wanted.ContainsKey(key)).ToArray())
        {
            await RemoveAsync(key, "the hold ended, the pods are ready, or their slice declares the port", cancellationToken).ConfigureAwait(false);
        }

        var now = timeProvider.GetUtcNow();
        foreach (var (key, hold) in wanted)
        {
            try
            {
                if (!published.TryGetValue(key, out var slice))
                {
                    await CreateAsync(hold, now, cancellationToken).ConfigureAwait(false);
                }
                else if (now - slice.RenewedAt >= options.Value.HoldRenewal)
                {
                    await RenewAsync(key, slice, now, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, exception, key.ToString());
            }
        }
    }

    /// <summary>
    /// Deletes holder slices that outlived their holder: at start, those of this address not
    /// published by this process; always, any whose renewal annotation has not changed for
    /// HoldStaleAfter on this instance's clock.
    /// </summary>
    internal async Task SweepAsync(bool atStart, CancellationToken cancellationToken)
    {
        V1EndpointSliceList list;
        try
        {
            list = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(labelSelector: Selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, exception, "(sweep)");
            return;
        }

        var now = timeProvider.GetUtcNow();
        var present = new HashSet<(string, string)>();
        foreach (var slice in list.Items)
        {
            var id = (slice.Metadata.NamespaceProperty, slice.Metadata.Name);
            present.Add(id);
            var annotations = slice.Metadata.Annotations;
            var holder = annotations?.TryGetValue(HolderAnnotation, out var named) == true ? named : null;
            var renewed = annotations?.TryGetValue(RenewedAnnotation, out var stamp) == true ? stamp : string.Empty;
            var mine = published.Values.Any(own => own.Namespace == id.NamespaceProperty && own.Name == id.Name);
            if (mine)
            {
                continue;
            }

            string? reason = null;
            if (atStart && address is not null && string.Equals(holder, address.ToString(), StringComparison.Ordinal))
            {
                reason = "this holder's previous process left it";
            }
            else if (renewals.StoodStill(id, renewed, now, options.Value.HoldStaleAfter) is { } still)
            {
                reason = $"its renewal has not changed for {still}";
            }

            if (reason is null)
            {
                continue;
            }

            try
            {
                await client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync(id.Name, id.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                metrics.StaleHolderRemoved("endpoint_slice");
                LogStaleRemoved(logger, $"{id.NamespaceProperty}/{id.Name}", holder ?? "?", reason);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, exception, $"{id.NamespaceProperty}/{id.Name}");
                continue;
            }

            renewals.Forget(id);
        }

        renewals.KeepOnly(present);
    }

    private bool CollidesWithOwnSlices(ActiveHold hold)
    {
        foreach (var (name, number) in endpointSlices.DeclaredPorts(hold.Key))
        {
            if (hold.Held.Listeners.Keys.Any(port => port.Name == name && hold.Listener(port)?.Port != number))
            {
                return true;
            }
        }

        return false;
    }

    private async Task CreateAsync(ActiveHold hold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = SliceName(hold.Key.Name, address!);
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = hold.Key.Namespace,
                Labels = new Dictionary<string, string>
                {
                    [EndpointSliceCache.ServiceNameLabel] = hold.Key.Name,
                    [EndpointSliceCache.ManagedByLabel] = EndpointSliceCache.HolderManagedBy,
                },
                Annotations = new Dictionary<string, string> { [HolderAnnotation] = address!.ToString(), [RenewedAnnotation] = RenewalStamp.Of(now) },
            },
            AddressType = address!.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            Endpoints = [new V1Endpoint { Addresses = [address!.ToString()], Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false } }],
            Ports = [.. hold.Held.Listeners.Select(listener => new Discoveryv1EndpointPort
            {
                Name = listener.Key.Name,
                Port = listener.Value.Port,
                Protocol = listener.Key.Protocol == HeldProtocol.Udp ? "UDP" : "TCP",
            })],
        };
        try
        {
            await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, hold.Key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Left by an earlier hold of this address whose delete failed: its ports may differ.
            await client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync(name, hold.Key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, hold.Key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        published[hold.Key] = new Published(hold.Key.Namespace, name, now);
        LogPublished(logger, hold.Key.ToString(), name, string.Join(", ", slice.Ports.Select(port => $"{port.Name}={port.Port}/{port.Protocol}")));
    }

    private async Task RenewAsync(ServiceKey key, Published slice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(
            $"{{\"metadata\":{{\"annotations\":{{\"{RenewedAnnotation}\":\"{RenewalStamp.Of(now)}\"}}}}}}", V1Patch.PatchType.MergePatch);
        await client.DiscoveryV1.PatchNamespacedEndpointSliceAsync(patch, slice.Name, slice.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        published[key] = slice with { RenewedAt = now };
    }

    private async Task RemoveAsync(ServiceKey key, string reason, CancellationToken cancellationToken)
    {
        var slice = published[key];
        try
        {
            await client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync(slice.Name, slice.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Kept in the published set: the next pass deletes it again.
            LogFailed(logger, exception, key.ToString());
            return;
        }

        published.Remove(key);
        LogRemoved(logger, key.ToString(), slice.Name, reason);
    }

    /// <summary>One slice per Service and holder address: instances in other zones publish their own beside it.</summary>
    internal static string SliceName(string service, IPAddress holder)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(holder.ToString())))[..8];
        var prefix = service.Length > 230 ? service[..230] : service;
        return $"{prefix}-holder-{hash}";
    }

    [LoggerMessage(EventId = EventIds.HolderSlicePublished, EventName = nameof(EventIds.HolderSlicePublished), Level = LogLevel.Information,
        Message = "Service {Service} points at the holder through EndpointSlice {Slice}: {Ports}")]
    private static partial void LogPublished(ILogger logger, string service, string slice, string ports);

    [LoggerMessage(EventId = EventIds.HolderSliceRemoved, EventName = nameof(EventIds.HolderSliceRemoved), Level = LogLevel.Information,
        Message = "Holder EndpointSlice {Slice} of Service {Service} removed: {Reason}")]
    private static partial void LogRemoved(ILogger logger, string service, string slice, string reason);

    [LoggerMessage(EventId = EventIds.HolderSliceFailed, EventName = nameof(EventIds.HolderSliceFailed), Level = LogLevel.Warning,
        Message = "Writing the holder EndpointSlice of {Service} failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string service);

    [LoggerMessage(EventId = EventIds.StaleHolderRemoved, EventName = nameof(EventIds.StaleHolderRemoved), Level = LogLevel.Warning,
        Message = "Removed holder EndpointSlice {Slice} of holder {Holder}: {Reason}")]
    private static partial void LogStaleRemoved(ILogger logger, string slice, string holder, string reason);

    private sealed record Published(string Namespace, string Name, DateTimeOffset RenewedAt);

}
