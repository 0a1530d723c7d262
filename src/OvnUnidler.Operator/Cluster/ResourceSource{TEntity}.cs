using k8s;

namespace OvnUnidler.Operator.Cluster;

/// <summary>How to list and watch one resource type in one scope (a namespace, or all).</summary>
/// <param name="List">Returns the items and the list's resourceVersion.</param>
/// <param name="Watch">Streams changes after a resourceVersion; errors (410 Gone) go to the callback.</param>
public sealed record ResourceSource<TEntity>(
    string Description,
    Func<CancellationToken, Task<(IReadOnlyCollection<TEntity> Items, string ResourceVersion)>> List,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, TEntity Item)>> Watch);
