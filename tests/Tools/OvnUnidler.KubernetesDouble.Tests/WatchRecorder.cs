using System.Threading.Channels;
using k8s;

namespace OvnUnidler.KubernetesDouble.Tests;

// Reads a KubernetesClient watch in the background so a test can act and then take events.
internal sealed class WatchRecorder<T> : IAsyncDisposable
{
    private readonly Channel<(WatchEventType Type, T Object)> events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly CancellationTokenSource stop;
    private readonly Task reading;

    public WatchRecorder(Func<CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open, CancellationToken cancellationToken)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in open(stop.Token))
                {
                    await events.Writer.WriteAsync(item, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                events.Writer.TryComplete();
            }
        });
    }

    public List<Exception> Errors { get; } = [];

    public Task Completion => reading;

    public async Task<(WatchEventType Type, T Object)> NextAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        return await events.Reader.ReadAsync(deadline.Token);
    }

    public async Task<List<(WatchEventType Type, T Object)>> TakeAsync(int count, CancellationToken cancellationToken)
    {
        var taken = new List<(WatchEventType, T)>();
        while (taken.Count < count)
        {
            taken.Add(await NextAsync(cancellationToken));
        }

        return taken;
    }

    // Every event until the server ends the stream.
    public async Task<List<(WatchEventType Type, T Object)>> DrainAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var all = new List<(WatchEventType, T)>();
        await foreach (var item in events.Reader.ReadAllAsync(deadline.Token))
        {
            all.Add(item);
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Dispose();
    }
}
