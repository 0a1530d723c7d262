namespace OvnUnidler.Entities.Attributes;

[AttributeUsage(AttributeTargets.Class)]
public sealed class EntityScopeAttribute(EntityScope scope = EntityScope.Namespaced) : Attribute
{
    public EntityScope Scope { get; } = scope;
}
