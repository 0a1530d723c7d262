namespace OvnUnidler.KubernetesDouble.Storage;

// Receives changes in resourceVersion order. Called with the store's lock held: it must only
// enqueue, never block or call back into the store.
internal interface IChangeSubscriber
{
    // Storage to follow (ResourceType.StorageKey); null follows every resource.
    string? StorageKey { get; }

    void OnChange(StoreChange change);

    void OnBookmark(long resourceVersion);

    // After the synthetic ADDED events of a watch without a resourceVersion.
    void OnInitialEventsEnd(long resourceVersion);
}
