using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using OvnUnidler.Entities;
using OvnUnidler.Holding;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Operator.Holding;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Controllers;

public sealed partial class IdlerController
{
    /// <summary>
    /// Records an ended hold as status.lastHold of the Idler(s) for its Service, written
    /// conditionally on the Idler's resourceVersion and re-read on 409, like a wake. A lastHold that
    /// started later is kept: with one holder per zone, two instances may hold the same Service at
    /// once, and the later hold is the one that belongs to the last wake.
    /// </summary>
    public async Task RecordHoldAsync(HoldSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (index.TryHasIdlers(summary.Service, out var hasIdlers) && !hasIdlers)
        {
            return;
        }

        var idlers = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<V1Alpha1Idler>>(
            V1Alpha1Idler.Group, V1Alpha1Idler.Version, summary.Service.Namespace, V1Alpha1Idler.Plural,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var hold = LastHoldOf(summary);
        foreach (var listed in idlers.Items.Where(item => item.Spec?.ServiceName == summary.Service.Name))
        {
            var entity = listed;
            for (var attempt = 1; ; attempt++)
            {
                var recorded = entity.Status?.LastHold;
                if (recorded is not null && recorded.StartedAt > hold.StartedAt)
                {
                    break;
                }

                try
                {
                    await PatchStatusAsync(entity, new JsonObject { ["lastHold"] = HoldPatch(recorded, hold) }, entity.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict && attempt < MaxStatusConflicts)
                {
                    entity = await client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1Idler>(
                        V1Alpha1Idler.Group, V1Alpha1Idler.Version, entity.Metadata.NamespaceProperty, V1Alpha1Idler.Plural, entity.Metadata.Name,
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    internal static IdlerHold LastHoldOf(HoldSummary summary)
    {
        var counts = summary.Counts;
        return new IdlerHold
        {
            Held = counts.Held,
            StartedAt = summary.StartedAt,
            Duration = V1Alpha1IdlerStatus.FormatLatency(summary.Duration),
            End = summary.End == HoldEnd.Drained ? IdlerHoldEnd.Drained : IdlerHoldEnd.Failed,
            Connections = counts.Connections,
            Flows = counts.Flows,
            HandedToPods = counts.Relayed,
            Reset = counts.Reset,
            ResetReasons = counts.Resets.Count == 0 ? null : counts.Resets.ToDictionary(pair => MetricLabel<ResetReason>.Of(pair.Key), pair => pair.Value),
            Dropped = counts.Dropped,
            DropReasons = counts.Drops.Count == 0 ? null : counts.Drops.ToDictionary(pair => MetricLabel<DropReason>.Of(pair.Key), pair => pair.Value),
            KeptDatagrams = counts.DatagramsKept,
        };
    }

    /// <summary>
    /// The merge patch (RFC 7386) that turns <paramref name="recorded"/> into <paramref name="next"/>:
    /// maps merge key by key, so a reason the new hold does not have is removed with null.
    /// </summary>
    private static JsonObject HoldPatch(IdlerHold? recorded, IdlerHold next)
    {
        var patch = JsonNode.Parse(KubernetesJson.Serialize(next))!.AsObject();
        Unset(patch, "resetReasons", recorded?.ResetReasons, next.ResetReasons);
        Unset(patch, "dropReasons", recorded?.DropReasons, next.DropReasons);
        return patch;
    }

    private static void Unset(JsonObject patch, string name, IDictionary<string, int>? recorded, IDictionary<string, int>? next)
    {
        var gone = (recorded?.Keys ?? []).Where(key => next?.ContainsKey(key) != true).ToList();
        if (gone.Count == 0)
        {
            return;
        }

        if (next is null)
        {
            patch[name] = null;
            return;
        }

        var map = patch[name]!.AsObject();
        foreach (var key in gone)
        {
            map[key] = null;
        }
    }
}
