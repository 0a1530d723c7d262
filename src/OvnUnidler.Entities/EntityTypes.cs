namespace OvnUnidler.Entities;

// Every custom resource the operator serves; `generate-crds` writes one CRD per entry.
public static class EntityTypes
{
    public static IReadOnlyList<Type> All { get; } = [typeof(V1Alpha1Idler)];
}
