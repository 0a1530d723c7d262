using k8s;
using k8s.Models;
using OvnUnidler.Entities.Generation;

namespace OvnUnidler.Entities.Tests.Generation;

public sealed class StructuralSchemaTests
{
    private static V1JSONSchemaProps IdlerSchema =>
        CustomResourceDefinitionGenerator.Generate(typeof(V1Alpha1Idler)).Spec.Versions.Single().Schema.OpenAPIV3Schema;

    [Fact]
    public void Every_schema_node_has_exactly_one_type_and_no_reference()
    {
        var problems = new List<string>();
        Walk(IdlerSchema, "openAPIV3Schema", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Committed_yaml_has_no_schema_keyword_reference_or_type_union()
    {
        var crd = CustomResourceDefinitionGenerator.Generate(typeof(V1Alpha1Idler));
        var yaml = File.ReadAllText(Repository.Combine("crds", CustomResourceDefinitionGenerator.FileNameOf(crd)));

        Assert.DoesNotContain("$schema", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("$ref", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("type: [", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("- \"null\"", yaml, StringComparison.Ordinal);
        var parsed = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml);
        Assert.Equal("idlers.unidler.ovn.org", parsed.Metadata.Name);
        Assert.Equal("object", parsed.Spec.Versions.Single().Schema.OpenAPIV3Schema.Properties["spec"].Type);
    }

    [Fact]
    public void Metadata_is_only_declared_an_object_as_the_api_server_requires()
    {
        var metadata = IdlerSchema.Properties["metadata"];

        Assert.Equal("object", metadata.Type);
        Assert.Null(metadata.Properties);
    }

    [Fact]
    public void Nullable_properties_say_nullable_and_required_ones_are_listed()
    {
        var spec = IdlerSchema.Properties["spec"];
        var target = (V1JSONSchemaProps)spec.Properties["targets"].Items;
        var status = IdlerSchema.Properties["status"];

        Assert.Equal(["serviceName"], spec.Required);
        Assert.Null(spec.Properties["serviceName"].Nullable);
        Assert.Equal(["kind", "name"], target.Required);
        Assert.True(target.Properties["group"].Nullable);
        Assert.Equal("integer", target.Properties["replicas"].Type);
        Assert.Equal(1, target.Properties["replicas"].Minimum);
        Assert.True(status.Properties["phase"].Nullable);
        Assert.Equal(["Active", "Idled", "Waking"], status.Properties["phase"].EnumProperty);
        Assert.Equal(["Active", "Idled"], spec.Properties["desiredState"].EnumProperty);
        Assert.Equal("date-time", status.Properties["lastWakeTime"].Format);
        Assert.Equal(["spec"], IdlerSchema.Required);
    }

    [Fact]
    public void Descriptions_come_from_the_description_attributes()
    {
        Assert.Equal("Name of the Service in the Idler's namespace.", IdlerSchema.Properties["spec"].Properties["serviceName"].Description);
        Assert.StartsWith("Idles one Service declaratively", IdlerSchema.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_the_exporter_cannot_type_fails_generation_with_its_path()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => CustomResourceDefinitionGenerator.Generate(typeof(UntypedEntity)));

        Assert.Contains("#/properties/anything", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recursive_type_fails_generation_instead_of_emitting_a_reference()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => CustomResourceDefinitionGenerator.Generate(typeof(RecursiveEntity)));

        Assert.Contains("recursive", failure.Message, StringComparison.Ordinal);
    }

    private static void Walk(V1JSONSchemaProps node, string path, List<string> problems)
    {
        if (string.IsNullOrEmpty(node.Type) && node.XKubernetesPreserveUnknownFields != true && node.XKubernetesIntOrString != true)
        {
            problems.Add($"{path} has no type");
        }

        if (node.RefProperty is not null || node.Schema is not null || node.AnyOf is not null || node.OneOf is not null || node.AllOf is not null || node.Not is not null)
        {
            problems.Add($"{path} uses $ref, $schema or a combinator");
        }

        if (node.Type == "object" && node.Properties is not null && node.AdditionalProperties is not null)
        {
            problems.Add($"{path} has both properties and additionalProperties");
        }

        foreach (var (name, child) in node.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            Walk(child, $"{path}.{name}", problems);
        }

        if (node.Type == "array")
        {
            if (node.Items is V1JSONSchemaProps items)
            {
                Walk(items, $"{path}[]", problems);
            }
            else
            {
                problems.Add($"{path} is an array without one items schema");
            }
        }

        if (node.AdditionalProperties is V1JSONSchemaProps additional)
        {
            Walk(additional, $"{path}{{}}", problems);
        }
    }

    [KubernetesEntity(Group = "test.example", ApiVersion = "v1", Kind = "Untyped", PluralName = "untypeds")]
    private sealed class UntypedEntity : CustomKubernetesEntity<UntypedSpec>;

    private sealed class UntypedSpec
    {
        [System.Text.Json.Serialization.JsonPropertyName("anything")]
        public System.Text.Json.JsonElement Anything { get; set; }
    }

    [KubernetesEntity(Group = "test.example", ApiVersion = "v1", Kind = "Recursive", PluralName = "recursives")]
    private sealed class RecursiveEntity : CustomKubernetesEntity<RecursiveSpec>;

    private sealed class RecursiveSpec
    {
        [System.Text.Json.Serialization.JsonPropertyName("child")]
        public RecursiveSpec? Child { get; set; }
    }
}
