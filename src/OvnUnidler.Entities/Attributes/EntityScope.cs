namespace OvnUnidler.Entities.Attributes;

public enum EntityScope
{
    Namespaced,
    Cluster,
}
