namespace OvnUnidler.Operator.Cluster;

/// <summary>
/// Receives a watched resource's state: a full list after each (re)list, then single changes. The
/// cache keeps a <typeparamref name="TKept"/> of each object, made by <see cref="Keep"/> as each
/// page of a list arrives, so the full objects of a large list are never all held at once.
/// </summary>
public interface IResourceCache<in TEntity, TKept>
{
    TKept Keep(TEntity item);

    /// <summary>
    /// The full state of one list's scope: objects of <paramref name="namespace"/> (null: of every
    /// namespace) not in <paramref name="items"/> are dropped; other namespaces' objects, which
    /// other watchers list, are kept.
    /// </summary>
    void Replace(string? @namespace, IReadOnlyCollection<TKept> items);

    void Upsert(TKept item);

    void Remove(TEntity item);
}
