using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// The status a workload controller writes once its pods are ready, field by field as the types
// serialise it: apps/v1 Deployment omits zero counts (omitempty), ReplicaSet, StatefulSet and
// ReplicationController always carry replicas, DeploymentConfig carries every count.
internal static class WorkloadStatus
{
    public static JsonObject Build(string kind, int ready, long generation, JsonObject? previous)
    {
        var status = new JsonObject { ["observedGeneration"] = generation };
        switch (kind)
        {
            case "Deployment":
                PutIfNonZero(status, ready, "replicas", "updatedReplicas", "readyReplicas", "availableReplicas");
                break;
            case "ReplicaSet" or "ReplicationController":
                status["replicas"] = ready;
                PutIfNonZero(status, ready, "fullyLabeledReplicas", "readyReplicas", "availableReplicas");
                break;
            case "StatefulSet":
                status["replicas"] = ready;
                PutIfNonZero(status, ready, "readyReplicas", "currentReplicas", "updatedReplicas");
                status["availableReplicas"] = ready;
                break;
            case "DeploymentConfig":
                status["latestVersion"] = JsonAccess.Integer(previous, "latestVersion") ?? 1;
                status["replicas"] = ready;
                status["updatedReplicas"] = ready;
                status["availableReplicas"] = ready;
                status["unavailableReplicas"] = 0;
                status["readyReplicas"] = ready;
                break;
        }

        if (previous?["conditions"] is { } conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }

        return status;
    }

    private static void PutIfNonZero(JsonObject status, int value, params string[] fields)
    {
        if (value == 0)
        {
            return;
        }

        foreach (var field in fields)
        {
            status[field] = value;
        }
    }
}
