using System.Collections.Concurrent;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Observability;

/// <summary>
/// Named conditions the operator needs before it may act (views synced, databases connected);
/// the mapper waits on them and /readyz reports them. The conditions known before anything runs
/// are named at construction: a signal registered only when its component starts would leave
/// /readyz ready in the moment before it does.
/// </summary>
public sealed class ReadinessSignals
{
    private readonly ConcurrentDictionary<string, bool> signals = new(StringComparer.Ordinal);
    private readonly ChangeSignal changed = new();

    public ReadinessSignals()
    {
    }

    public ReadinessSignals(IEnumerable<string> expected)
    {
        foreach (var name in expected)
        {
            Register(name);
        }
    }

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
