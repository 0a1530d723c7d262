namespace OvnUnidler.KubernetesDouble.Storage;

internal enum StoreChangeType
{
    Added,
    Modified,
    Deleted,
}
