using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

internal sealed partial class ResourceRegistry
{
    // Deleting a CRD deletes its custom resources (the apiextensions server's
    // customresourcecleanup finalizer), before the CRD itself goes.
    private void DeleteCustomResourcesLocked(StoreTransaction tx, StoredObject definition)
    {
        foreach (var served in CustomResources.CustomResourceDefinitionReader.Served(definition.ToNode()).Take(1))
        {
            foreach (var stored in ListLocked(tx, served, null).ToList())
            {
                tx.Remove(converter.StorageTypeOf(served), stored.Namespace, stored.Name);
            }
        }
    }
}
