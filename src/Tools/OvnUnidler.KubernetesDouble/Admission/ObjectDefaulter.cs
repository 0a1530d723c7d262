using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Admission;

// The defaults the API server fills in before validation (the SetDefaults_* functions of the
// built-in types), limited to fields the double's clients and controller-manager read.
internal static class ObjectDefaulter
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
        {
            return;
        }

        switch (type.Kind)
        {
            case "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController":
                // apps/v1 and core/v1 default spec.replicas to 1.
                var spec = JsonAccess.EnsureObject(obj, "spec");
                spec["replicas"] ??= 1;
                if (type.Kind == "ReplicationController")
                {
                    DefaultSelectorFromTemplate(obj, spec);
                }

                WorkloadDefaults.Apply(type.Kind, spec);
                break;
            case "DeploymentConfig":
                // DeploymentConfigSpec.replicas is a plain int32: absent means 0.
                var dcSpec = JsonAccess.EnsureObject(obj, "spec");
                dcSpec["replicas"] ??= 0;
                DefaultSelectorFromTemplate(obj, dcSpec);
                break;
            case "Service":
                DefaultService(obj);
                break;
            case "EndpointSlice":
                foreach (var port in (obj["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    port["protocol"] ??= "TCP";
                }

                break;
            case "Namespace":
                var labels = JsonAccess.EnsureObject(ObjectMetadata.Of(obj), "labels");
                labels["kubernetes.io/metadata.name"] = ObjectMetadata.Name(obj);
                JsonAccess.EnsureObject(obj, "spec")["finalizers"] ??= new JsonArray("kubernetes");
                JsonAccess.EnsureObject(obj, "status")["phase"] ??= "Active";
                break;
        }
    }

    // An RC's (and a DeploymentConfig's) selector and labels default to the pod template's labels.
    private static void DefaultSelectorFromTemplate(JsonObject obj, JsonObject spec)
    {
        var templateLabels = JsonAccess.Path(spec, "template", "metadata", "labels");
        if (templateLabels is null || templateLabels.Count == 0)
        {
            return;
        }

        if (spec["selector"] is not JsonObject selector || selector.Count == 0)
        {
            spec["selector"] = templateLabels.DeepClone();
        }

        var metadata = ObjectMetadata.Of(obj);
        if (metadata["labels"] is not JsonObject labels || labels.Count == 0)
        {
            metadata["labels"] = templateLabels.DeepClone();
        }
    }

    private static void DefaultService(JsonObject obj)
    {
        var spec = JsonAccess.EnsureObject(obj, "spec");
        spec["type"] ??= "ClusterIP";
        if (JsonAccess.String(spec, "type") != "ExternalName")
        {
            spec["sessionAffinity"] ??= "None";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        if (spec["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                if (port["targetPort"] is null && port["port"] is { } number)
                {
                    port["targetPort"] = number.DeepClone();
                }
            }
        }
    }
}
