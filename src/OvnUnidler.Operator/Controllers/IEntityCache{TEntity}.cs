namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// Follows what an <see cref="EntityControllerRunner{TEntity}"/> lists and watches, so readers can
/// answer from memory while the watch is live and fall back to the API server when it is not.
/// </summary>
public interface IEntityCache<in TEntity>
{
    /// <summary>A list: the complete set of entities; the cache is current from now on.</summary>
    void Replace(IReadOnlyCollection<TEntity> items);

    void Upsert(TEntity item);

    void Remove(TEntity item);

    /// <summary>The watch ended or failed (or leadership was lost): changes may be missed until the next list.</summary>
    void Invalidate();
}
