namespace OvnUnidler.Entities.Attributes;

[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeMinimumAttribute(double minimum) : Attribute
{
    public double Minimum { get; } = minimum;

    public bool ExclusiveMinimum { get; init; }
}
