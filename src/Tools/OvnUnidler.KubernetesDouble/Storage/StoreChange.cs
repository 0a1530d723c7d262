namespace OvnUnidler.KubernetesDouble.Storage;

// One write, as etcd reports it: the new version (for a delete, the last state stamped with the
// deletion's resourceVersion) and the version it replaced.
internal sealed record StoreChange(StoreChangeType Type, StoredObject Object, StoredObject? Previous)
{
    public long ResourceVersion => Object.ResourceVersion;
}
