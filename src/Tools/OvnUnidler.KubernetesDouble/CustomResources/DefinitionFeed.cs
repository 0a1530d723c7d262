using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.CustomResources;

// Serves what the stored CustomResourceDefinitions define, changed in the same store transaction
// as the CRD itself: a custom resource can be created as soon as its CRD's create returned.
// Called with the store's lock held; it only swaps the catalog's snapshot.
internal sealed class DefinitionFeed(ResourceCatalog catalog) : IChangeSubscriber
{
    public string? StorageKey => catalog.CustomResourceDefinitions.StorageKey;

    public void OnChange(StoreChange change)
    {
        var name = change.Object.Name;
        catalog.Replace(name, change.Type == StoreChangeType.Deleted ? [] : CustomResourceDefinitionReader.Served(change.Object.ToNode()));
    }

    public void OnBookmark(long resourceVersion)
    {
    }

    public void OnInitialEventsEnd(long resourceVersion)
    {
    }
}
