using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// One served version of a CustomResourceDefinition, as the apiextensions server uses it to serve
// the custom resource: the structural schema, the subresources and the printer columns.
internal sealed record CustomResourceDefinition
{
    // metadata.name of the CRD (PLURAL.GROUP).
    public required string Name { get; init; }

    public required string Singular { get; init; }

    public required string ListKind { get; init; }

    public required string StorageVersion { get; init; }

    // openAPIV3Schema; null only for a version without a schema, which v1 refuses.
    public JsonObject? Schema { get; init; }

    public CustomScalePaths? Scale { get; init; }

    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];
}
