using System.Runtime.ExceptionServices;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

public sealed partial class ClientDecoder
{
    // JsonRpcConnection numbers its calls 1, 2, …: calling this many in order gives every planned id.
    private static readonly int HighestId = (int)CallPlan.All.Max(call => call.Id);

    /// <summary>
    /// A real JsonRpcConnection reads the case from an in-memory stream while every planned call
    /// waits for its reply (monitor calls with their collectors as sinks). Once the stream has ended
    /// and the connection is closed, the session reads the results in id order, then applies the
    /// notifications in the order the connection dispatched them: an update waits for its monitor's
    /// reply in the client too, so the outcome does not depend on how the two interleaved.
    /// </summary>
    private static async Task DecodeOverConnectionAsync(FuzzCase fuzzCase, ClientSession session, CaseProgress progress, CancellationToken cancellationToken)
    {
        var stream = new FeedStream(fuzzCase.Bytes, fuzzCase.Chunks, progress);
        var notifications = new List<JsonRpcMessage>();
        using var taken = new SemaphoreSlim(0);
        var connection = new JsonRpcConnection(stream, TimeSpan.Zero, TimeProvider.System, (message, _) =>
        {
            lock (notifications)
            {
                notifications.Add(message);
            }

            taken.Release();
            return ValueTask.CompletedTask;
        });
        stream.Settled = async token =>
        {
            while (connection.QueuedNotifications > 0)
            {
                await taken.WaitAsync(token).ConfigureAwait(false);
            }
        };

        var calls = new Task<JsonRpcMessage>[HighestId + 1];
        for (var id = 1; id <= HighestId; id++)
        {
            var method = CallPlan.ById.TryGetValue(id, out var call) ? call.Method : "unplanned";
            calls[id] = connection.CallAsync(method, [], cancellationToken, session.SinkOf(id));
        }

        Exception reason;
        try
        {
            connection.Start();
            reason = await connection.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        for (var id = 1; id <= HighestId; id++)
        {
            if (!CallPlan.ById.TryGetValue(id, out var call))
            {
                continue;
            }

            try
            {
                var response = await calls[id].ConfigureAwait(false);
                session.Answered(call, response);
                progress.Handled();
            }
            catch (OvsdbErrorException exception)
            {
                session.CallFailed(call, exception);
            }
            catch (OvsdbConnectionException)
            {
                // Never answered before the stream ended.
            }
        }

        foreach (var notification in notifications)
        {
            session.OnNotification(notification);
            progress.Handled();
        }

        // The connection's own message for a stream that ended between messages.
        if (reason is not OvsdbConnectionException { Message: "the server closed the connection" })
        {
            session.Stage = "connection";
            ExceptionDispatchInfo.Throw(reason);
        }
    }
}
