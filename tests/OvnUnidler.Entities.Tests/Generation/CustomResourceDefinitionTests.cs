using OvnUnidler.Entities.Generation;

namespace OvnUnidler.Entities.Tests.Generation;

public sealed class CustomResourceDefinitionTests
{
    private static readonly k8s.Models.V1CustomResourceDefinition Crd = CustomResourceDefinitionGenerator.Generate(typeof(V1Alpha1Idler));

    [Fact]
    public void Idler_crd_is_namespaced_with_its_names_and_short_name()
    {
        Assert.Equal("idlers.unidler.ovn.org", Crd.Metadata.Name);
        Assert.Equal("unidler.ovn.org", Crd.Spec.Group);
        Assert.Equal("Namespaced", Crd.Spec.Scope);
        Assert.Equal("Idler", Crd.Spec.Names.Kind);
        Assert.Equal("IdlerList", Crd.Spec.Names.ListKind);
        Assert.Equal("idlers", Crd.Spec.Names.Plural);
        Assert.Equal("idler", Crd.Spec.Names.Singular);
        Assert.Equal(["idl"], Crd.Spec.Names.ShortNames);
    }

    [Fact]
    public void Idler_version_is_served_stored_and_has_a_status_subresource()
    {
        var version = Assert.Single(Crd.Spec.Versions);

        Assert.Equal("v1alpha1", version.Name);
        Assert.True(version.Served);
        Assert.True(version.Storage);
        Assert.NotNull(version.Subresources.Status);
        Assert.Null(version.Subresources.Scale);
    }

    [Fact]
    public void Kubectl_get_idlers_prints_service_desired_phase_wakes_last_wake_latency_and_age()
    {
        var columns = Crd.Spec.Versions.Single().AdditionalPrinterColumns;
        var standard = columns.Where(column => column.Priority is null or 0).Select(column => (column.Name, column.JsonPath, column.Type));

        Assert.Equal(
            [
                ("Service", ".spec.serviceName", "string"),
                ("Desired", ".spec.desiredState", "string"),
                ("Phase", ".status.phase", "string"),
                ("Wakes", ".status.wakeCount", "integer"),
                ("Last Wake", ".status.lastWakeTime", "date"),
                ("Latency", ".status.lastWakeLatency", "string"),
                ("Age", ".metadata.creationTimestamp", "date"),
            ],
            standard);
        Assert.Contains(columns, column => column.Name == "Chassis" && column.Priority == 1);
    }

    [Fact]
    public void Kubectl_get_idlers_wide_adds_idled_at_chassis_and_the_last_holds_held_count_from_the_nested_object()
    {
        var wide = Crd.Spec.Versions.Single().AdditionalPrinterColumns.Where(column => column.Priority == 1).Select(column => (column.Name, column.JsonPath, column.Type));

        Assert.Equal(
            [
                ("Idled At", ".status.idledAt", "date"),
                ("Chassis", ".status.lastEventChassis", "string"),
                ("Held", ".status.lastHold.held", "integer"),
            ],
            wide);
    }

    [Fact]
    public void Last_hold_is_described_with_its_counts_required_non_negative_and_its_reasons_as_maps_of_counts()
    {
        var status = Crd.Spec.Versions.Single().Schema.OpenAPIV3Schema.Properties["status"];
        var hold = status.Properties["lastHold"];

        Assert.True(hold.Nullable);
        Assert.Contains("last hold", hold.Description, StringComparison.Ordinal);
        Assert.Equal(["held", "startedAt", "duration", "end", "connections", "flows", "handedToPods", "reset", "dropped", "keptDatagrams"], hold.Required);
        Assert.All(hold.Properties, property => Assert.False(string.IsNullOrEmpty(property.Value.Description), $"{property.Key} has no description"));
        Assert.All(new[] { "held", "connections", "flows", "handedToPods", "reset", "dropped", "keptDatagrams" },
            name => Assert.Equal(("integer", "int32", 0.0), (hold.Properties[name].Type, hold.Properties[name].Format, hold.Properties[name].Minimum)));
        Assert.Equal(["Drained", "Failed"], hold.Properties["end"].EnumProperty.Select(value => value.ToString()));
        Assert.Equal(("string", "date-time"), (hold.Properties["startedAt"].Type, hold.Properties["startedAt"].Format));
        Assert.Equal(("object", "integer"), (hold.Properties["resetReasons"].Type, hold.Properties["resetReasons"].AdditionalProperties is k8s.Models.V1JSONSchemaProps values ? values.Type : null));
    }
}
