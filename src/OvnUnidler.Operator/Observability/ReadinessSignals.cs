using System.Collections.Concurrent;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Observability;

/// <summary>
/// Named conditions the operator needs before it may act (views synced, databases connected);
/// the mapper waits on them and /readyz reports them.
/// </summary>
public sealed class ReadinessSignals
{
    private readonly ConcurrentDictionary<string, bool> signals = new();
    private readonly ChangeSignal changed = new();

    public void Register(string name) => signals.TryAdd(name, false);

    public void Set(string name, bool ready)
    {
        signals[name] = ready;
        changed.Raise();
    }

    public bool IsReady => signals.Values.All(ready => ready);

    public IReadOnlyDictionary<string, bool> Snapshot() => new Dictionary<string, bool>(signals);

    public async Task WaitUntilReadyAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var required = names.ToArray();
        while (true)
        {
            var next = changed.NextChange;

            if (required.All(name => signals.TryGetValue(name, out var ready) && ready))
            {
                return;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
