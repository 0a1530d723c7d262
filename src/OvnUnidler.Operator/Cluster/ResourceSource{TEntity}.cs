using k8s;
using k8s.Models;

namespace OvnUnidler.Operator.Cluster;

/// <summary>How to list and watch one resource type in one scope (a namespace, or all).</summary>
/// <param name="Namespace">The namespace listed and watched; null for every namespace.</param>
/// <param name="ListPage">One page of a list: items and list metadata (resourceVersion, continue token) after a continue token (null: the first page).</param>
/// <param name="Watch">Streams changes after a resourceVersion; errors (410 Gone) go to the callback.</param>
public sealed record ResourceSource<TEntity>(
    string Description,
    string? Namespace,
    Func<string?, CancellationToken, Task<(IList<TEntity> Items, V1ListMeta Metadata)>> ListPage,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, TEntity Item)>> Watch);
