namespace OvnUnidler.Entities.Attributes;

// Becomes the schema's description, which `kubectl explain` prints.
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property | AttributeTargets.Enum)]
public sealed class DescriptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}
