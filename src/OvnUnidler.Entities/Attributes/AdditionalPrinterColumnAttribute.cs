namespace OvnUnidler.Entities.Attributes;

// A `kubectl get` column for this property; its jsonPath and type come from the property.
[AttributeUsage(AttributeTargets.Property)]
public sealed class AdditionalPrinterColumnAttribute(PrinterColumnPriority priority = PrinterColumnPriority.StandardView, string? name = null) : Attribute
{
    public PrinterColumnPriority Priority { get; } = priority;

    public string? Name { get; } = name;
}
