using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Observability;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Remotes;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb;

public sealed partial class OvsdbClient
{
    private const string ServerMonitorId = "_Server";

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = options.ReconnectInitialBackoff;
        var next = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var remote = remotes[next];
            next = (next + 1) % remotes.Count;
            JsonRpcConnection? live = null;
            string reason;
            RaiseStateChanged(new OvsdbConnectionState(OvsdbConnectionStatus.Connecting, remote.ToString()));
            try
            {
                var stream = await StreamConnector.ConnectAsync(remote, tls, options.ConnectTimeout, stoppingToken).ConfigureAwait(false);
                var session = new Session();
                live = session.Live = new JsonRpcConnection(
                    stream, options.InactivityProbe, timeProvider, (message, token) => OnNotificationAsync(session, message, token));
                live.Start();
                await EstablishSessionAsync(session, remote, stoppingToken).ConfigureAwait(false);
                OvsdbLog.Connected(logger, remote.ToString());
                RaiseStateChanged(new OvsdbConnectionState(OvsdbConnectionStatus.Connected, remote.ToString()));
                backoff = options.ReconnectInitialBackoff;
                reason = (await live.Closed.WaitAsync(stoppingToken).ConfigureAwait(false)).Message;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                reason = "stopped";
            }
            catch (MemberUnusableException exception)
            {
                OvsdbLog.MemberSkipped(logger, remote.ToString(), exception.Message);
                reason = exception.Message;
            }
            catch (Exception exception)
            {
                reason = live?.Closed.IsCompleted == true ? live.Closed.Result.Message : exception.Message;
            }

            lock (gate)
            {
                if (live is not null && ReferenceEquals(connection, live))
                {
                    ForgetConnection();
                }
            }

            if (live is not null)
            {
                await live.DisposeAsync().ConfigureAwait(false);
            }

            RaiseStateChanged(new OvsdbConnectionState(OvsdbConnectionStatus.Disconnected, remote.ToString(), reason));
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            // Full jitter on a capped exponential backoff: after a server restart, many clients
            // (one per node in per-zone mode) must not come back in the same instant.
            var delay = TimeSpan.FromTicks((long)(backoff.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
            OvsdbLog.ConnectionLost(logger, remote.ToString(), reason, delay);
            backoff = TimeSpan.FromTicks(Math.Min(options.ReconnectMaxBackoff.Ticks, backoff.Ticks * 2));
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void RaiseStateChanged(OvsdbConnectionState state)
    {
        try
        {
            StateChanged?.Invoke(state);
        }
        catch (Exception exception)
        {
            OvsdbLog.StateHandlerFailed(logger, state.Status.ToString(), exception);
        }
    }

    /// <summary>
    /// Checks the member (_Server), then publishes the connection so transactions go ahead, then
    /// establishes the monitors: a monitor handler that waits for a transaction of its own consumer
    /// (a bounded channel drained by code that acknowledges through this client) cannot deadlock.
    /// </summary>
    private async Task EstablishSessionAsync(Session session, OvsdbRemote remote, CancellationToken cancellationToken)
    {
        var live = session.Live!;
        var schemas = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await WatchServerAsync(session, schemas, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            connection = live;
            serverMonitor = session.Server;
            ConnectedRemote = remote.ToString();
            connected.TrySetResult(live);
        }

        await sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ITableMonitor[] registered;
            lock (gate)
            {
                registered = [.. monitors.Values];
            }

            var supportsSince = new SinceSupport();
            foreach (var monitor in registered.Where(monitor => !monitor.IsCancelled && !ReferenceEquals(monitor.EstablishedOn, live)))
            {
                await EstablishMonitorAsync(live, monitor, schemas, supportsSince, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            sessionLock.Release();
        }
    }

    /// <summary>
    /// Monitors this server's _Server Database table: its initial state decides whether the member
    /// may be used at all, and each later change is checked again (a member that loses the cluster
    /// is left at once, as OVS's own IDL does). Null for a server without _Server (before OVS 2.9).
    /// </summary>
    private async Task WatchServerAsync(Session session, Dictionary<string, JsonElement> schemas, CancellationToken cancellationToken)
    {
        var server = session.Server = new TableMonitor<ServerDatabaseRow>(
            ServerDatabaseRow.Database, ServerMonitorId, ServerDatabaseRow.Monitor(), (batch, _) =>
            {
                CheckMember(session, batch);
                return ValueTask.CompletedTask;
            });
        try
        {
            await EstablishMonitorAsync(session.Live!, server, schemas, new SinceSupport(), cancellationToken).ConfigureAwait(false);
        }
        catch (OvsdbErrorException exception)
        {
            OvsdbLog.NoServerDatabase(logger, exception.Message);
            session.Server = null;
            return;
        }

        // ovsdb-server(7) set_db_change_aware: on an online conversion the server then cancels the
        // monitors (monitor_canceled) instead of dropping the whole connection.
        try
        {
            await session.Live!.CallAsync("set_db_change_aware", [true], cancellationToken).ConfigureAwait(false);
        }
        catch (OvsdbErrorException)
        {
        }
    }

    private void CheckMember(Session session, TableChangeBatch<ServerDatabaseRow> batch)
    {
        // The batch is not in the cache yet: the server's rows are the cache with the batch applied.
        Dictionary<Guid, ServerDatabaseRow> rows = batch.IsResync || session.Server is null ? [] : new(session.Server.Rows);
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

        if (membership.Refusal(rows.Values, DatabasesInUse()) is { } refusal)
        {
            throw new MemberUnusableException(refusal);
        }
    }

    private string[] DatabasesInUse()
    {
        lock (gate)
        {
            return [.. monitors.Values.Select(monitor => monitor.Database).Concat(transactedDatabases).Distinct(StringComparer.Ordinal)];
        }
    }

    private async Task EstablishOnLiveConnectionAsync(JsonRpcConnection live, ITableMonitor monitor)
    {
        try
        {
            await sessionLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (live.IsOpen && ReferenceEquals(Volatile.Read(ref connection), live) && !monitor.IsCancelled
                    && !ReferenceEquals(monitor.EstablishedOn, live))
                {
                    await EstablishMonitorAsync(live, monitor, [], new SinceSupport(), CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                sessionLock.Release();
            }
        }
        catch (Exception exception)
        {
            // The connection loop re-establishes every monitor on the next connection.
            OvsdbLog.MonitorFailed(logger, monitor.MonitorId, exception.Message);
            live.Fail(exception);
        }
    }

    private async Task EstablishMonitorAsync(
        JsonRpcConnection live, ITableMonitor monitor, Dictionary<string, JsonElement> schemas, SinceSupport since, CancellationToken cancellationToken)
    {
        if (!schemas.TryGetValue(monitor.Database, out var schema))
        {
            schema = await GetSchemaAsync(live, monitor.Database, cancellationToken).ConfigureAwait(false);
            schemas[monitor.Database] = schema;
        }

        var kinds = MonitoredColumns.KindsOf(schema, monitor.Database, monitor.Table);
        var known = kinds.Keys.Append("_uuid").Append("_version").ToHashSet(StringComparer.Ordinal);
        foreach (var column in monitor.Columns.Where(column => !known.Contains(column)))
        {
            OvsdbLog.ColumnMissing(logger, monitor.Table, column);
        }

        monitor.UseColumnKinds(kinds);
        var requests = new JsonObject { [monitor.Table] = new JsonArray(monitor.BuildRequest(known)) };
        monitor.ResetInitial();
        if (since.Supported != false)
        {
            try
            {
                // ovsdb-server(7) monitor_cond_since: [found, last-txn-id, table-updates2]; found means only
                // what followed our last transaction id is sent, else the whole table.
                var collector = monitor.CreateReplyCollector(tableUpdatesIndex: 2, cancellationToken);
                await CallMonitorAsync(
                    live, "monitor_cond_since", new JsonArray(monitor.Database, monitor.MonitorId, requests, monitor.LastTransactionId), collector, cancellationToken)
                    .ConfigureAwait(false);
                since.Supported = true;
                OvsdbLog.Monitoring(logger, monitor.MonitorId, monitor.Table, collector.Found, collector.TransactionId ?? "?");
                await monitor.ApplyReplyAsync(collector, cancellationToken).ConfigureAwait(false);
                Established(live, monitor);
                return;
            }
            catch (OvsdbErrorException exception) when (exception.Error.Contains("unknown method", StringComparison.OrdinalIgnoreCase))
            {
                since.Supported = false;
            }
        }

        var full = monitor.CreateReplyCollector(tableUpdatesIndex: -1, cancellationToken);
        await CallMonitorAsync(live, "monitor_cond", new JsonArray(monitor.Database, monitor.MonitorId, requests), full, cancellationToken)
            .ConfigureAwait(false);
        OvsdbLog.Monitoring(logger, monitor.MonitorId, monitor.Table, false, monitor.LastTransactionId);
        await monitor.ApplyReplyAsync(full, cancellationToken).ConfigureAwait(false);
        Established(live, monitor);
    }

    private static async Task CallMonitorAsync(
        JsonRpcConnection live, string method, JsonArray parameters, ITableUpdateCollector collector, CancellationToken cancellationToken)
    {
        try
        {
            await live.CallAsync(method, parameters, cancellationToken, collector).ConfigureAwait(false);
        }
        catch
        {
            await collector.AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Established(JsonRpcConnection live, ITableMonitor monitor)
    {
        monitor.EstablishedOn = live;
        monitor.CompleteInitial();
    }

    private async ValueTask OnNotificationAsync(Session session, JsonRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message.Method)
        {
            case "update2" or "update3":
                var update = MonitorUpdate.Parse(message);
                ITableMonitor? monitor;
                lock (gate)
                {
                    monitor = update.MonitorId == ServerMonitorId ? session.Server : monitors.GetValueOrDefault(update.MonitorId);
                }

                if (monitor is null || monitor.IsCancelled)
                {
                    return;
                }

                await monitor.InitialApplied.WaitAsync(cancellationToken).ConfigureAwait(false);
                await monitor.ApplyUpdateAsync(update, cancellationToken).ConfigureAwait(false);
                break;
            case "monitor_canceled":
                // ovsdb-server(7): sent when the database is removed or converted (online schema upgrade).
                // The monitor is established again on this connection, from a freshly read schema.
                var id = MonitorUpdate.CanceledMonitorId(message);
                OvsdbLog.MonitorCanceled(logger, id);
                ITableMonitor? affected;
                lock (gate)
                {
                    affected = id == ServerMonitorId ? session.Server : monitors.GetValueOrDefault(id);
                }

                if (affected is null || affected.IsCancelled)
                {
                    break;
                }

                if (ReferenceEquals(affected, session.Server))
                {
                    session.Live!.Fail(new OvsdbConnectionException("the server cancelled the _Server monitor; reconnecting"));
                    break;
                }

                affected.EstablishedOn = null;
                _ = EstablishOnLiveConnectionAsync(session.Live!, affected);
                break;
        }
    }

    /// <summary>Whether this server knows monitor_cond_since (OVS 2.12 and later), learnt on the first monitor of a connection.</summary>
    private sealed class SinceSupport
    {
        public bool? Supported { get; set; }
    }

    /// <summary>One connection and what the client learnt of its server.</summary>
    private sealed class Session
    {
        public JsonRpcConnection? Live { get; set; }

        public TableMonitor<ServerDatabaseRow>? Server { get; set; }
    }

    private sealed class MemberUnusableException(string message) : Exception(message);
}
