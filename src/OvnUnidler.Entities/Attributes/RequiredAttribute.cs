namespace OvnUnidler.Entities.Attributes;

// Listed in the parent object's `required`, so the API server rejects an object without it.
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;
