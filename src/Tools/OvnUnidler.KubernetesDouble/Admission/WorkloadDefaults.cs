using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Admission;

// The defaults of apps/v1 workloads and of pod specs that `kubectl describe`, `kubectl rollout`
// and the operator read back (SetDefaults_Deployment, _StatefulSet, _PodSpec, _Container): a
// Deployment rolls out RollingUpdate 25%/25%, keeps 10 revisions and has 600 s to progress; a
// StatefulSet starts pods OrderedReady and updates RollingUpdate from partition 0; a pod restarts
// Always with ClusterFirst DNS and 30 s to terminate; a container pulls Always for :latest or no
// tag, else IfNotPresent; ports are TCP.
internal static class WorkloadDefaults
{
    public static void Apply(string kind, JsonObject spec)
    {
        switch (kind)
        {
            case "Deployment":
                var strategy = JsonAccess.EnsureObject(spec, "strategy");
                strategy["type"] ??= "RollingUpdate";
                if (JsonAccess.String(strategy, "type") == "RollingUpdate")
                {
                    var rollingUpdate = JsonAccess.EnsureObject(strategy, "rollingUpdate");
                    rollingUpdate["maxUnavailable"] ??= "25%";
                    rollingUpdate["maxSurge"] ??= "25%";
                }

                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                break;
            case "StatefulSet":
                spec["podManagementPolicy"] ??= "OrderedReady";
                var update = JsonAccess.EnsureObject(spec, "updateStrategy");
                update["type"] ??= "RollingUpdate";
                if (JsonAccess.String(update, "type") == "RollingUpdate")
                {
                    JsonAccess.EnsureObject(update, "rollingUpdate")["partition"] ??= 0;
                }

                spec["revisionHistoryLimit"] ??= 10;
                var retention = JsonAccess.EnsureObject(spec, "persistentVolumeClaimRetentionPolicy");
                retention["whenDeleted"] ??= "Retain";
                retention["whenScaled"] ??= "Retain";
                break;
        }

        if (JsonAccess.Path(spec, "template", "spec") is { } podSpec)
        {
            ApplyToPodSpec(podSpec);
        }
    }

    public static void ApplyToPodSpec(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                container["terminationMessagePath"] ??= "/dev/termination-log";
                container["terminationMessagePolicy"] ??= "File";
                container["imagePullPolicy"] ??= PullPolicy(JsonAccess.String(container, "image") ?? "");
                container["resources"] ??= new JsonObject();
                foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    port["protocol"] ??= "TCP";
                }
            }
        }
    }

    // Always when the image names no tag or the tag latest; a digest pins it, so IfNotPresent.
    private static string PullPolicy(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon < 0 || lastSegment[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }
}
