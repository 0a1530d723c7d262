using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

internal sealed partial class ClientSession
{
    /// <summary>A notification, as the client's handler takes it off the connection (OvsdbClient.OnNotificationAsync).</summary>
    public void OnNotification(JsonRpcMessage notification)
    {
        Stage = notification.Method!;
        switch (notification.Method)
        {
            case "update2" or "update3":
                var update = MonitorUpdate.Parse(notification);
                if (!slots.TryGetValue(update.MonitorId, out var slot) || slot.Monitor.IsCancelled)
                {
                    return;
                }

                if (!slot.Monitor.InitialApplied.IsCompleted)
                {
                    slot.Waiting.Add(update);
                    return;
                }

                Complete(slot.Monitor.ApplyUpdateAsync(update, CancellationToken.None));
                break;
            case "monitor_canceled":
                var id = MonitorUpdate.CanceledMonitorId(notification);
                if (!slots.TryGetValue(id, out var canceled) || canceled.Monitor.IsCancelled)
                {
                    return;
                }

                if (id == CallPlan.ServerMonitor)
                {
                    throw new OvsdbConnectionException("the server cancelled the _Server monitor; reconnecting");
                }

                // The client establishes it again with a new request; until that reply, updates wait.
                canceled.Monitor.ResetInitial();
                break;
        }
    }

    private void ApplyReply(MonitorSlot slot)
    {
        Stage = "monitor-reply " + slot.Call.Method;
        slot.Monitor.ResetInitial();
        Complete(slot.Monitor.ApplyReplyAsync(slot.Collector, CancellationToken.None));
        slot.Monitor.CompleteInitial();
        foreach (var update in slot.Waiting)
        {
            Stage = update.Method;
            Complete(slot.Monitor.ApplyUpdateAsync(update, CancellationToken.None));
        }

        slot.Waiting.Clear();
    }

    private ValueTask Handle<TRow>(TableChangeBatch<TRow> batch, CancellationToken cancellationToken)
        where TRow : class
    {
        // Read every change as the operator's consumers do (the first batch's changes are made on demand).
        foreach (var change in batch.Changes)
        {
            touched += change.Uuid.GetHashCode() + (change.New?.GetHashCode() ?? 0) + (change.Old?.GetHashCode() ?? 0) + (change.Error?.Message.Length ?? 0);
            if (change.New is ControllerEventRow row)
            {
                touched += row.EventInfo.Count + (row.EventInfo.TryGetValue("vip", out var vip) ? vip.Length : 0);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The client's _Server handler: the member must stay usable for the databases in use.</summary>
    private ValueTask CheckMember(TableChangeBatch<ServerDatabaseRow> batch, CancellationToken cancellationToken)
    {
        Dictionary<Guid, ServerDatabaseRow> rows = batch.IsResync || server is null ? [] : new(server.Rows);
        foreach (var change in batch.Changes)
        {
            if (change.New is { } row)
            {
                rows[change.Uuid] = row;
            }
            else
            {
                rows.Remove(change.Uuid);
            }
        }

        return membership.Refusal(rows.Values, DatabasesInUse) is { } refusal
            ? throw new MemberRefusedException(refusal)
            : ValueTask.CompletedTask;
    }

    /// <summary>The handlers here complete at once, so the monitors' ValueTasks do too; a pending one would be a bug of the harness.</summary>
    private static void Complete(ValueTask task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("a monitor apply did not complete synchronously");
        }

        task.GetAwaiter().GetResult();
    }
}
