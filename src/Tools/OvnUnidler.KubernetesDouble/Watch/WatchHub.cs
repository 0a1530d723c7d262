using System.Collections.Concurrent;

namespace OvnUnidler.KubernetesDouble.Watch;

// The open watch streams, so they can all be cut at once (a fault, or the double stopping).
internal sealed class WatchHub
{
    private readonly ConcurrentDictionary<CancellationTokenSource, byte> open = new();

    public int OpenCount => open.Count;

    public void Register(CancellationTokenSource stream) => open.TryAdd(stream, 0);

    public void Unregister(CancellationTokenSource stream) => open.TryRemove(stream, out _);

    public int DropAll()
    {
        var dropped = 0;
        foreach (var stream in open.Keys)
        {
            try
            {
                stream.Cancel();
                dropped++;
            }
            catch (ObjectDisposedException)
            {
                // It ended on its own meanwhile.
            }
        }

        return dropped;
    }
}
