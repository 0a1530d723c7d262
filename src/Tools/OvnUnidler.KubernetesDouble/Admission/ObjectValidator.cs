using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Selection;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Admission;

// Validation that answers 422 Invalid with field errors, for the rules of the built-in types
// that matter to clients of the double: names, labels, replicas, selectors, Service ports,
// EndpointSlice address types, new-style Events and Leases. Not every rule of the API server.
internal static class ObjectValidator
{
    private static readonly string[] ServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] AddressTypes = ["IPv4", "IPv6", "FQDN"];
    private static readonly string[] EventTypes = ["Normal", "Warning"];

    public static List<FieldError> Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        ValidateMetadata(type, obj, errors);
        if (type.IsCustom)
        {
            return errors;
        }

        var spec = JsonAccess.Object(obj, "spec");
        switch (type.Kind)
        {
            case "Deployment" or "StatefulSet" or "ReplicaSet":
                ValidateReplicas(spec, errors);
                ValidateAppsSelector(spec, JsonAccess.Object(old, "spec"), errors);
                break;
            case "ReplicationController" or "DeploymentConfig":
                ValidateReplicas(spec, errors);
                ValidateMapSelector(spec, errors);
                break;
            case "Service":
                ValidateService(spec, errors);
                break;
            case "EndpointSlice":
                ValidateEndpointSlice(obj, errors);
                break;
            case "Event" when type.Group == "events.k8s.io" && old is null:
                ValidateNewEvent(obj, errors);
                break;
            case "Event" when type.Group.Length == 0:
                var involvedNamespace = JsonAccess.String(JsonAccess.Object(obj, "involvedObject"), "namespace");
                if (!string.IsNullOrEmpty(involvedNamespace) && involvedNamespace != ObjectMetadata.Namespace(obj))
                {
                    errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
                }

                break;
            case "Lease":
                if (JsonAccess.Integer(spec, "leaseDurationSeconds") is <= 0 and var duration)
                {
                    errors.Add(FieldError.Invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
                }

                if (JsonAccess.Integer(spec, "leaseTransitions") is < 0 and var transitions)
                {
                    errors.Add(FieldError.Invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0"));
                }

                break;
        }

        return errors;
    }

    private static void ValidateMetadata(ResourceType type, JsonObject obj, List<FieldError> errors)
    {
        var name = ObjectMetadata.Name(obj);
        var problem = type.Kind switch
        {
            _ when type.IsCustom => NameRules.CheckSubdomain(name),
            "Namespace" => NameRules.CheckLabel(name),
            "Service" => NameRules.CheckDns1035Label(name),
            _ when type.Group == Authorization.AccessResourceTypes.RbacGroup => Authorization.AccessResourceTypes.CheckRbacName(name),
            _ => NameRules.CheckSubdomain(name),
        };
        if (problem is not null)
        {
            errors.Add(FieldError.Invalid("metadata.name", name, problem));
        }

        foreach (var (key, value) in ObjectMetadata.Labels(obj))
        {
            if (NameRules.CheckLabelKey(key) is { } keyProblem)
            {
                errors.Add(FieldError.Invalid("metadata.labels", key, keyProblem));
            }

            if (NameRules.CheckLabelValue(value) is { } valueProblem)
            {
                errors.Add(FieldError.Invalid("metadata.labels", value, valueProblem));
            }
        }
    }

    private static void ValidateReplicas(JsonObject? spec, List<FieldError> errors)
    {
        var replicas = spec?["replicas"];
        if (replicas is null)
        {
            return;
        }

        if (JsonAccess.Integer(replicas) is not { } count)
        {
            errors.Add(FieldError.Invalid("spec.replicas", replicas, "must be an integer"));
        }
        else if (count < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", replicas, "must be greater than or equal to 0"));
        }
    }

    private static void ValidateAppsSelector(JsonObject? spec, JsonObject? oldSpec, List<FieldError> errors)
    {
        var selectorNode = JsonAccess.Object(spec, "selector");
        var selector = LabelSelector.FromLabelSelectorObject(selectorNode);
        if (selector is null || selector.IsEmpty)
        {
            errors.Add(selectorNode is null
                ? FieldError.Required("spec.selector", "")
                : FieldError.Invalid("spec.selector", selectorNode.DeepClone(), "empty selector is invalid for deployment"));
            return;
        }

        var templateLabels = JsonAccess.StringMap(JsonAccess.Path(spec, "template", "metadata")?["labels"]) ?? [];
        if (!selector.Matches(templateLabels))
        {
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", JsonAccess.Path(spec, "template", "metadata", "labels")?.DeepClone(),
                "`selector` does not match template `labels`"));
        }

        var oldSelector = JsonAccess.Object(oldSpec, "selector");
        if (oldSelector is not null && !JsonNode.DeepEquals(oldSelector, selectorNode))
        {
            errors.Add(FieldError.Invalid("spec.selector", selectorNode?.DeepClone(), "field is immutable"));
        }
    }

    private static void ValidateMapSelector(JsonObject? spec, List<FieldError> errors)
    {
        var selector = JsonAccess.StringMap(spec?["selector"]);
        var templateLabels = JsonAccess.StringMap(JsonAccess.Path(spec, "template", "metadata")?["labels"]);
        if (selector is { Count: > 0 } && templateLabels is not null && !LabelSelector.FromMap(selector).Matches(templateLabels))
        {
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", JsonAccess.Path(spec, "template", "metadata", "labels")?.DeepClone(),
                "`selector` does not match template `labels`"));
        }
    }

    private static void ValidateService(JsonObject? spec, List<FieldError> errors)
    {
        var serviceType = JsonAccess.String(spec, "type") ?? "ClusterIP";
        if (!ServiceTypes.Contains(serviceType))
        {
            errors.Add(FieldError.NotSupported("spec.type", serviceType, ServiceTypes));
            return;
        }

        var ports = spec?["ports"] as JsonArray;
        var headless = JsonAccess.String(spec, "clusterIP") == "None";
        if (serviceType != "ExternalName" && !headless && (ports is null || ports.Count == 0))
        {
            errors.Add(FieldError.Required("spec.ports", ""));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var endpoints = new HashSet<(long, string)>();
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var field = $"spec.ports[{i}]";
            if (ports![i] is not JsonObject port)
            {
                errors.Add(FieldError.Invalid(field, ports[i]?.DeepClone(), "must be an object"));
                continue;
            }

            var name = JsonAccess.String(port, "name") ?? "";
            if (ports.Count > 1 && name.Length == 0)
            {
                errors.Add(FieldError.Required(field + ".name", ""));
            }
            else if (name.Length > 0 && !names.Add(name))
            {
                errors.Add(FieldError.Duplicate(field + ".name", name));
            }

            var number = JsonAccess.Integer(port, "port");
            if (number is not (>= 1 and <= 65535))
            {
                errors.Add(FieldError.Invalid(field + ".port", port["port"]?.DeepClone(), "must be between 1 and 65535, inclusive"));
            }

            var protocol = JsonAccess.String(port, "protocol") ?? "TCP";
            if (!Protocols.Contains(protocol))
            {
                errors.Add(FieldError.NotSupported(field + ".protocol", protocol, Protocols));
            }
            else if (number is { } portNumber && !endpoints.Add((portNumber, protocol)))
            {
                errors.Add(FieldError.Duplicate(field, port.DeepClone()));
            }

            switch (port["targetPort"])
            {
                case { } target when JsonAccess.Integer(target) is { } targetNumber && targetNumber is < 1 or > 65535:
                    errors.Add(FieldError.Invalid(field + ".targetPort", target.DeepClone(), "must be between 1 and 65535, inclusive"));
                    break;
                case { } target when JsonAccess.String(target) is { } targetName && !NameRules.IsPortName(targetName):
                    errors.Add(FieldError.Invalid(field + ".targetPort", targetName, "must be an IANA_SVC_NAME (at most 15 characters, lowercase alphanumerics and '-', at least one letter)"));
                    break;
            }
        }
    }

    private static void ValidateEndpointSlice(JsonObject obj, List<FieldError> errors)
    {
        var addressType = JsonAccess.String(obj, "addressType");
        if (addressType is null)
        {
            errors.Add(FieldError.Required("addressType", ""));
        }
        else if (!AddressTypes.Contains(addressType))
        {
            errors.Add(FieldError.NotSupported("addressType", addressType, AddressTypes));
        }

        if (obj["endpoints"] is JsonArray endpoints)
        {
            for (var i = 0; i < endpoints.Count; i++)
            {
                if (endpoints[i] is not JsonObject endpoint || endpoint["addresses"] is not JsonArray { Count: > 0 })
                {
                    errors.Add(FieldError.Required($"endpoints[{i}].addresses", "must contain at least 1 address"));
                }
            }
        }
    }

    // events.k8s.io/v1 Events must say who reported what (ValidateEventCreate for new events).
    private static void ValidateNewEvent(JsonObject obj, List<FieldError> errors)
    {
        if (JsonAccess.String(obj, "eventTime") is null)
        {
            errors.Add(FieldError.Required("eventTime", ""));
        }

        foreach (var field in new[] { "reportingController", "reportingInstance", "action", "reason" })
        {
            if (string.IsNullOrEmpty(JsonAccess.String(obj, field)))
            {
                errors.Add(FieldError.Required(field, ""));
            }
        }

        var eventType = JsonAccess.String(obj, "type");
        if (!EventTypes.Contains(eventType))
        {
            errors.Add(FieldError.NotSupported("type", eventType, EventTypes));
        }
    }
}
