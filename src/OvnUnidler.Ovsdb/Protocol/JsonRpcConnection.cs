using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// One JSON-RPC session over a stream. Answers the server's echo at once (ovsdb-server sends one
/// after about 5 s of silence and drops a client that does not answer), sends its own echo when the
/// server has been silent for the inactivity probe and gives the connection up when even that
/// gets no answer. Notifications are handed to one consumer, in order, off the read loop.
/// Back-pressure: while more than <see cref="NotificationBacklog"/> notifications wait for a slow
/// consumer, the socket is not read (ovsdb-server then holds and merges the updates itself), unless
/// a call waits for its reply: a consumer that transacts on the same connection never deadlocks.
/// </summary>
public sealed class JsonRpcConnection : IAsyncDisposable
{
    public const int NotificationBacklog = 1024;

    // Large enough that a multi-megabyte monitor reply takes few reads, small enough to stay off the large object heap.
    private const int ReadSize = 32 * 1024;

    private readonly Stream stream;
    private readonly TimeSpan inactivityProbe;
    private readonly TimeProvider timeProvider;
    private readonly Func<JsonRpcMessage, CancellationToken, ValueTask> onNotification;
    private readonly ConcurrentDictionary<long, PendingCall> pending = new();
    private readonly Channel<JsonRpcMessage> notifications = Channel.CreateUnbounded<JsonRpcMessage>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly CancellationTokenSource closing = new();
    private readonly TaskCompletionSource<Exception> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long nextId;
    private long lastReceived;
    private int queued;
    private int paused;
    private Task? readLoop;
    private Task? dispatchLoop;
    private Task? probeLoop;

    public JsonRpcConnection(
        Stream stream, TimeSpan inactivityProbe, TimeProvider timeProvider, Func<JsonRpcMessage, CancellationToken, ValueTask> onNotification)
    {
        this.stream = stream;
        this.inactivityProbe = inactivityProbe;
        this.timeProvider = timeProvider;
        this.onNotification = onNotification;
        lastReceived = timeProvider.GetTimestamp();
    }

    /// <summary>Completes with the reason once the connection is gone.</summary>
    public Task<Exception> Closed => closed.Task;

    public bool IsOpen => !closed.Task.IsCompleted;

    /// <summary>Notifications received and not yet handled.</summary>
    public int QueuedNotifications => Volatile.Read(ref queued);

    public void Start()
    {
        readLoop = ReadLoopAsync();
        dispatchLoop = DispatchLoopAsync();
        probeLoop = inactivityProbe > TimeSpan.Zero ? ProbeLoopAsync() : Task.CompletedTask;
    }

    /// <summary>
    /// Sends a request and returns the response; an error reply throws <see cref="OvsdbErrorException"/>.
    /// With a <paramref name="sink"/>, a monitor reply's rows go to the sink (streamed while they arrive
    /// when the reply is large) before the response is returned.
    /// </summary>
    public async Task<JsonRpcMessage> CallAsync(
        string method, JsonArray parameters, CancellationToken cancellationToken, IJsonRpcResultSink? sink = null)
    {
        var id = Interlocked.Increment(ref nextId);
        var completion = new TaskCompletionSource<JsonRpcMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = new PendingCall(completion, sink);
        try
        {
            if (!IsOpen)
            {
                throw new OvsdbConnectionException($"the connection is closed: {closed.Task.Result.Message}", closed.Task.Result);
            }

            // A reader paused for back-pressure must read on to find this reply.
            Wake();
            await WriteAsync(new JsonObject { ["method"] = method, ["params"] = parameters, ["id"] = id }, cancellationToken).ConfigureAwait(false);
            var response = await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            response.ThrowIfError(method);
            return response;
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    public Task NotifyAsync(string method, JsonArray parameters, CancellationToken cancellationToken) =>
        WriteAsync(new JsonObject { ["method"] = method, ["params"] = parameters, ["id"] = null }, cancellationToken);

    /// <summary>Closes the connection; pending calls fail with <paramref name="reason"/>.</summary>
    public void Fail(Exception reason)
    {
        if (!closed.TrySetResult(reason))
        {
            return;
        }

        closing.Cancel();
        notifications.Writer.TryComplete();
        foreach (var call in pending.Values)
        {
            call.Completion.TrySetException(new OvsdbConnectionException($"connection lost before the reply: {reason.Message}", reason));
        }

        stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new OvsdbConnectionException("connection closed by the client"));
        foreach (var loop in new[] { readLoop, dispatchLoop, probeLoop })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // closing and writeLock are not disposed: a caller's CallAsync may still be inside WriteAsync,
        // and must fail with OvsdbConnectionException, not ObjectDisposedException (neither holds a
        // wait handle or timer that needs releasing).
    }

    private async Task WriteAsync(JsonObject message, CancellationToken cancellationToken)
    {
        var bytes = Encode(message);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closing.Token);
        try
        {
            await writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OvsdbConnectionException($"sending {message["method"]} failed: {closed.Task.Result.Message}", closed.Task.Result);
        }

        try
        {
            await stream.WriteAsync(bytes, linked.Token).ConfigureAwait(false);
            await stream.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException
            || exception is OperationCanceledException && closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var reason = closed.Task.IsCompleted ? closed.Task.Result : exception;
            Fail(reason);
            throw new OvsdbConnectionException($"sending {message["method"]} failed: {reason.Message}", reason);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>A message as the bytes sent on the wire.</summary>
    internal static ReadOnlyMemory<byte> Encode(JsonObject message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            message.WriteTo(writer);
        }

        return buffer.WrittenMemory;
    }

    private async Task ReadLoopAsync()
    {
        var framer = new JsonStreamFramer(sinkFor: id => pending.TryGetValue(id, out var call) && !call.Completion.Task.IsCompleted ? call.Sink : null);
        try
        {
            while (true)
            {
                await WaitWhileBackloggedAsync().ConfigureAwait(false);
                var read = await stream.ReadAsync(framer.GetWriteMemory(ReadSize), closing.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new OvsdbConnectionException(framer.BufferedBytes > 0
                        ? $"the server closed the connection in the middle of a message ({framer.BufferedBytes} bytes unread)"
                        : "the server closed the connection");
                }

                Interlocked.Exchange(ref lastReceived, timeProvider.GetTimestamp());
                framer.Advance(read);
                while (framer.TryRead(out var message))
                {
                    await HandleAsync(message).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception)
        {
            Fail(exception is OperationCanceledException && closing.IsCancellationRequested && closed.Task.IsCompleted
                ? closed.Task.Result
                : exception);
        }
    }

    private async Task WaitWhileBackloggedAsync()
    {
        while (Volatile.Read(ref queued) >= NotificationBacklog && pending.IsEmpty)
        {
            // Take the signal, then say so, then look again (full fences on both sides, see Wake):
            // whatever frees the reader after this point completes this signal.
            var signal = Volatile.Read(ref wake).Task;
            Interlocked.Exchange(ref paused, 1);
            if (Volatile.Read(ref queued) < NotificationBacklog || !pending.IsEmpty)
            {
                break;
            }

            await signal.WaitAsync(closing.Token).ConfigureAwait(false);
        }

        Volatile.Write(ref paused, 0);
    }

    private void Wake()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref paused) == 1)
        {
            Interlocked.Exchange(ref wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private async Task HandleAsync(JsonRpcMessage message)
    {
        if (message.IsResponse)
        {
            // A reply the server repeats finds its call answered already: it reaches no sink twice.
            if (message.NumericId is { } id && pending.TryGetValue(id, out var call) && !call.Completion.Task.IsCompleted)
            {
                if (call.Sink is { } sink)
                {
                    TableUpdatesWalker.WalkResponse(message, sink);
                }

                call.Completion.TrySetResult(message);
            }

            return;
        }

        if (message.IsNotification)
        {
            Interlocked.Increment(ref queued);
            notifications.Writer.TryWrite(message);
            return;
        }

        await WriteAsync(ServerRequestReply.For(message), closing.Token).ConfigureAwait(false);
    }

    private async Task DispatchLoopAsync()
    {
        try
        {
            await foreach (var message in notifications.Reader.ReadAllAsync(closing.Token).ConfigureAwait(false))
            {
                if (Interlocked.Decrement(ref queued) < NotificationBacklog)
                {
                    Wake();
                }

                await onNotification(message, closing.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    private async Task ProbeLoopAsync()
    {
        try
        {
            while (!closing.IsCancellationRequested)
            {
                await Task.Delay(inactivityProbe, timeProvider, closing.Token).ConfigureAwait(false);
                if (timeProvider.GetElapsedTime(Interlocked.Read(ref lastReceived)) < inactivityProbe)
                {
                    continue;
                }

                using var timer = new CancellationTokenSource(inactivityProbe, timeProvider);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(closing.Token, timer.Token);
                try
                {
                    await CallAsync("echo", [], deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!closing.IsCancellationRequested)
                {
                    Fail(new OvsdbConnectionException($"the server did not answer an echo within {inactivityProbe}; treating it as dead"));
                }
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is OvsdbConnectionException or OvsdbErrorException)
        {
            // The read loop reports why the connection ended.
        }
    }

    private sealed record PendingCall(TaskCompletionSource<JsonRpcMessage> Completion, IJsonRpcResultSink? Sink);
}
