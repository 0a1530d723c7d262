using System.Reflection;
using k8s;
using k8s.Models;
using OvnUnidler.Entities.Attributes;

namespace OvnUnidler.Entities.Generation;

// Builds the apiextensions.k8s.io/v1 CustomResourceDefinition of an entity type (the job of
// KubeOps.Transpiler), with its openAPIV3Schema exported from the spec and status types.
public static class CustomResourceDefinitionGenerator
{
    public const string Header = "# Generated from the C# entity types in src/OvnUnidler.Entities; do not edit.\n# Regenerate: dotnet run --project src/OvnUnidler.Operator -- generate-crds crds\n";

    public static V1CustomResourceDefinition Generate(Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        var entity = entityType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{entityType.Name} has no [KubernetesEntity] attribute.", nameof(entityType));
        var specType = GenericArgumentOf(entityType, typeof(ISpec<>))
            ?? throw new ArgumentException($"{entityType.Name} has no spec (ISpec<T>).", nameof(entityType));
        var statusType = GenericArgumentOf(entityType, typeof(IStatus<>));
        var plural = entity.PluralName ?? entity.Kind.ToLowerInvariant() + "s";
        var scope = entityType.GetCustomAttribute<EntityScopeAttribute>()?.Scope ?? EntityScope.Namespaced;
        var shortNames = entityType.GetCustomAttribute<KubernetesEntityShortNamesAttribute>()?.ShortNames;

        var version = new V1CustomResourceDefinitionVersion
        {
            Name = entity.ApiVersion,
            Served = true,
            Storage = true,
            Schema = new V1CustomResourceValidation { OpenAPIV3Schema = RootSchema(entityType, specType, statusType) },
            Subresources = statusType is null ? null : new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
            AdditionalPrinterColumns = PrinterColumns.For(entityType, specType, statusType),
        };

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{plural}.{entity.Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = plural,
                    Singular = entity.Kind.ToLowerInvariant(),
                    ShortNames = shortNames is { Count: > 0 } ? shortNames.ToList() : null,
                },
                Scope = scope == EntityScope.Cluster ? "Cluster" : "Namespaced",
                Versions = [version],
            },
        };
    }

    public static IReadOnlyList<V1CustomResourceDefinition> GenerateAll() => EntityTypes.All.Select(Generate).ToList();

    public static string ToYaml(V1CustomResourceDefinition crd) => Header + KubernetesYaml.Serialize(crd);

    // crds/idlers.unidler.ovn.org.yaml: the CRD's own name, as the API server knows it.
    public static string FileNameOf(V1CustomResourceDefinition crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        return $"{crd.Metadata.Name}.yaml";
    }

    // Writes every entity's CRD into the directory; returns the paths written.
    public static IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var crd in GenerateAll())
        {
            var path = Path.Combine(directory, FileNameOf(crd));
            File.WriteAllText(path, ToYaml(crd));
            written.Add(path);
        }

        return written;
    }

    private static V1JSONSchemaProps RootSchema(Type entityType, Type specType, Type? statusType)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
        {
            ["apiVersion"] = new() { Type = "string", Description = "APIVersion defines the versioned schema of this representation of an object." },
            ["kind"] = new() { Type = "string", Description = "Kind is a string value representing the REST resource this object represents." },
            // The API server owns metadata's schema; a CRD may only say it is an object.
            ["metadata"] = new() { Type = "object" },
            ["spec"] = StructuralSchemaConverter.Convert(EntitySchemaExporter.Export(specType)),
        };
        if (statusType is not null)
        {
            properties["status"] = StructuralSchemaConverter.Convert(EntitySchemaExporter.Export(statusType));
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = EntitySchemaExporter.DescriptionOf(entityType),
            Properties = properties,
            Required = ["spec"],
        };
    }

    private static Type? GenericArgumentOf(Type type, Type openInterface) =>
        type.GetInterfaces().FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == openInterface)?.GetGenericArguments()[0];
}
