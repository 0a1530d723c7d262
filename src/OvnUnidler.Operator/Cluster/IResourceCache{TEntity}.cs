namespace OvnUnidler.Operator.Cluster;

/// <summary>Receives a watched resource's state: a full list after each (re)list, then single changes.</summary>
public interface IResourceCache<in TEntity>
{
    void Replace(IReadOnlyCollection<TEntity> items);

    void Upsert(TEntity item);

    void Remove(TEntity item);
}
