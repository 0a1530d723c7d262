namespace OvnUnidler.Entities.Attributes;

// A `kubectl get` column for any JSON path (e.g. .metadata.creationTimestamp), listed after the
// property columns in declaration order.
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class GenericAdditionalPrinterColumnAttribute(string jsonPath, string name, string type) : Attribute
{
    public string JsonPath { get; } = jsonPath;

    public string Name { get; } = name;

    public string Type { get; } = type;

    public string? Description { get; init; }

    public string? Format { get; init; }

    public PrinterColumnPriority Priority { get; init; }
}
