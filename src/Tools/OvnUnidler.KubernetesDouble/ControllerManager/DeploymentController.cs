using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The Deployment controller: one ReplicaSet per pod template, named DEPLOYMENT-HASH and labelled
// pod-template-hash=HASH, holds spec.replicas; ReplicaSets of older templates are scaled to 0 (a
// rollout that completes at once). The Deployment's status sums its ReplicaSets' and carries
// the Available and Progressing conditions (`kubectl wait --for=condition=Available`).
internal sealed class DeploymentController(ResourceRegistry registry, TimeProvider time)
{
    public const string HashLabel = "pod-template-hash";

    public void SyncLocked(StoreTransaction tx, WorkloadKey key, StoredObject stored)
    {
        var replicaSets = registry.Catalog.ReplicaSets;
        var deployment = registry.Load(key.Type, stored);
        var spec = JsonAccess.Object(deployment, "spec");
        var desired = JsonAccess.Integer(spec, "replicas") ?? 1;
        var template = JsonAccess.Object(spec, "template") ?? new JsonObject();
        var hash = TemplateHash(template);
        var newName = $"{key.Name}-{hash}";
        var owned = registry.ListLocked(tx, replicaSets, key.Namespace).Where(rs => rs.OwnerUids.Contains(stored.Uid)).ToList();
        if (owned.All(rs => rs.Name != newName))
        {
            var (_, error) = registry.CreateLocked(tx, replicaSets, key.Namespace, NewReplicaSet(deployment, newName, hash, desired, owned.Count + 1));
            if (error is not null)
            {
                throw new InvalidOperationException($"ReplicaSet {key.Namespace}/{newName}: {error.Message}");
            }
        }

        foreach (var replicaSet in owned)
        {
            var target = replicaSet.Name == newName ? desired : 0;
            var node = registry.Load(replicaSets, replicaSet);
            if (JsonAccess.Integer(JsonAccess.Object(node, "spec"), "replicas") != target)
            {
                JsonAccess.EnsureObject(node, "spec")["replicas"] = target;
                registry.CommitUpdateLocked(tx, replicaSets, replicaSet, node, statusOnly: false);
            }
        }

        WriteStatusLocked(tx, key, newName);
    }

    // The Deployment's status from its ReplicaSets' (after one of them changed).
    public void WriteStatusLocked(StoreTransaction tx, WorkloadKey key, string? newName = null)
    {
        var stored = registry.GetLocked(tx, key.Type, key.Namespace, key.Name);
        if (stored is null)
        {
            return;
        }

        var deployment = registry.Load(key.Type, stored);
        var spec = JsonAccess.Object(deployment, "spec");
        var desired = JsonAccess.Integer(spec, "replicas") ?? 1;
        newName ??= $"{key.Name}-{TemplateHash(JsonAccess.Object(spec, "template") ?? new JsonObject())}";
        var sets = registry.ListLocked(tx, registry.Catalog.ReplicaSets, key.Namespace)
            .Where(rs => rs.OwnerUids.Contains(stored.Uid))
            .Select(rs => (rs.Name, Status: JsonAccess.Object(registry.Load(registry.Catalog.ReplicaSets, rs), "status")))
            .ToList();
        long Sum(string field) => sets.Sum(rs => JsonAccess.Integer(rs.Status, field) ?? 0);
        var updated = sets.Where(rs => rs.Name == newName).Sum(rs => JsonAccess.Integer(rs.Status, "replicas") ?? 0);
        var available = Sum("availableReplicas");
        var status = new JsonObject { ["observedGeneration"] = ObjectMetadata.Generation(deployment) };
        PutIfNonZero(status, "replicas", Sum("replicas"));
        PutIfNonZero(status, "updatedReplicas", updated);
        PutIfNonZero(status, "readyReplicas", Sum("readyReplicas"));
        PutIfNonZero(status, "availableReplicas", available);
        PutIfNonZero(status, "unavailableReplicas", Math.Max(0, desired - available));
        var previous = (JsonAccess.Object(deployment, "status")?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var now = SystemFields.Timestamp(time);
        var minimum = desired - MaxUnavailable(spec, desired);
        var complete = updated == desired && available == desired && Sum("replicas") == desired;
        status["conditions"] = new JsonArray(
            Condition(previous, "Available", available >= minimum,
                available >= minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available >= minimum ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
            Condition(previous, "Progressing", true,
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                complete ? $"ReplicaSet \"{newName}\" has successfully progressed." : $"ReplicaSet \"{newName}\" is progressing.", now));
        var next = (JsonObject)deployment.DeepClone();
        next["status"] = status;
        registry.CommitUpdateLocked(tx, key.Type, stored, next, statusOnly: true);
    }

    // A stable, name-safe hash of the pod template (the controller's pod-template-hash).
    public static string TemplateHash(JsonObject template)
    {
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(template.ToJsonString()));
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return new string(digest.Take(10).Select(b => alphabet[b % alphabet.Length]).ToArray());
    }

    private static JsonObject NewReplicaSet(JsonObject deployment, string name, string hash, long replicas, int revision)
    {
        var spec = JsonAccess.Object(deployment, "spec")!;
        var template = (JsonAccess.Object(spec, "template") ?? new JsonObject()).DeepClone().AsObject();
        JsonAccess.EnsureObject(JsonAccess.EnsureObject(template, "metadata"), "labels")[HashLabel] = hash;
        var selector = (JsonAccess.Object(spec, "selector") ?? new JsonObject()).DeepClone().AsObject();
        JsonAccess.EnsureObject(selector, "matchLabels")[HashLabel] = hash;
        var labels = JsonAccess.Path(template, "metadata", "labels")!.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/revision"] = revision.ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(OwnerReference.To(new ResourceType("apps", "v1", "deployments", "Deployment", true), deployment)),
            },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = template },
        };
    }

    // spec.strategy.rollingUpdate.maxUnavailable: a count or a percentage rounded down; 25% by default.
    private static long MaxUnavailable(JsonObject? spec, long desired)
    {
        var value = JsonAccess.Path(spec, "strategy", "rollingUpdate")?["maxUnavailable"];
        if (JsonAccess.Integer(value) is { } count)
        {
            return count;
        }

        var text = JsonAccess.String(value) ?? "25%";
        return text.EndsWith('%') && long.TryParse(text[..^1], CultureInfo.InvariantCulture, out var percent) ? desired * percent / 100 : 0;
    }

    private static JsonObject Condition(List<JsonObject> previous, string type, bool isTrue, string reason, string message, string now)
    {
        var status = isTrue ? "True" : "False";
        var before = previous.FirstOrDefault(condition => JsonAccess.String(condition, "type") == type);
        var unchanged = before is not null && JsonAccess.String(before, "status") == status && JsonAccess.String(before, "reason") == reason;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = unchanged ? JsonAccess.String(before, "lastUpdateTime") : now,
            ["lastTransitionTime"] = before is not null && JsonAccess.String(before, "status") == status ? JsonAccess.String(before, "lastTransitionTime") : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static void PutIfNonZero(JsonObject status, string field, long value)
    {
        if (value != 0)
        {
            status[field] = value;
        }
    }
}
