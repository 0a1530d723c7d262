using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Observability;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Remotes;

namespace OvnUnidler.Ovsdb;

public sealed partial class OvsdbClient
{
    private bool? supportsMonitorSince;

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = options.ReconnectInitialBackoff;
        var next = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var remote = remotes[next++ % remotes.Count];
            JsonRpcConnection? live = null;
            string reason;
            StateChanged?.Invoke(new OvsdbConnectionState(OvsdbConnectionStatus.Connecting, remote.ToString()));
            try
            {
                var stream = await StreamConnector.ConnectAsync(remote, tls, options.ConnectTimeout, stoppingToken).ConfigureAwait(false);
                live = new JsonRpcConnection(stream, options.InactivityProbe, timeProvider, OnNotificationAsync);
                live.Start();
                await EstablishSessionAsync(live, remote, stoppingToken).ConfigureAwait(false);
                OvsdbLog.Connected(logger, remote.ToString());
                StateChanged?.Invoke(new OvsdbConnectionState(OvsdbConnectionStatus.Connected, remote.ToString()));
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
                reason = exception.Message;
            }

            lock (gate)
            {
                if (ReferenceEquals(connection, live) && live is not null)
                {
                    connection = null;
                    ConnectedRemote = null;
                    connected = new TaskCompletionSource<JsonRpcConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (live is not null)
            {
                await live.DisposeAsync().ConfigureAwait(false);
            }

            StateChanged?.Invoke(new OvsdbConnectionState(OvsdbConnectionStatus.Disconnected, remote.ToString(), reason));
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

    private async Task EstablishSessionAsync(JsonRpcConnection live, OvsdbRemote remote, CancellationToken cancellationToken)
    {
        await sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ITableMonitor[] registered;
            lock (gate)
            {
                registered = [.. monitors.Values];
            }

            foreach (var database in registered.Select(monitor => monitor.Database).Distinct(StringComparer.Ordinal))
            {
                await CheckClusterMemberAsync(live, database, cancellationToken).ConfigureAwait(false);
            }

            var schemas = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var monitor in registered)
            {
                await EstablishMonitorAsync(live, monitor, schemas, cancellationToken).ConfigureAwait(false);
            }

            lock (gate)
            {
                connection = live;
                ConnectedRemote = remote.ToString();
                connected.TrySetResult(live);
            }
        }
        finally
        {
            sessionLock.Release();
        }
    }

    private async Task EstablishOnLiveConnectionAsync(JsonRpcConnection live, ITableMonitor monitor)
    {
        try
        {
            await sessionLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (live.IsOpen && ReferenceEquals(Volatile.Read(ref connection), live))
                {
                    await EstablishMonitorAsync(live, monitor, [], CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                sessionLock.Release();
            }
        }
        catch (Exception exception) when (exception is not ObjectDisposedException)
        {
            // The connection loop re-establishes every monitor on the next connection.
            live.Fail(exception);
        }
    }

    /// <summary>
    /// ovsdb(7) "Clustered Database Service Model": a member that is not connected to the cluster
    /// may serve stale data, so such members are skipped (and followers too with LeaderOnly).
    /// </summary>
    private async Task CheckClusterMemberAsync(JsonRpcConnection live, string database, CancellationToken cancellationToken)
    {
        JsonRpcMessage response;
        try
        {
            response = await live.CallAsync("transact", new JsonArray(
                "_Server",
                new JsonObject
                {
                    ["op"] = "select", ["table"] = "Database",
                    ["where"] = new JsonArray(new JsonArray("name", "==", database)),
                    ["columns"] = new JsonArray("model", "connected", "leader"),
                }), cancellationToken).ConfigureAwait(false);
        }
        catch (OvsdbErrorException)
        {
            return; // A server without _Server (older than OVS 2.9) is standalone.
        }

        using var document = JsonDocument.Parse(response.Result);
        var result = document.RootElement[0];
        if (!result.TryGetProperty("rows", out var rows) || rows.GetArrayLength() == 0)
        {
            throw new MemberUnusableException($"the server does not serve database {database}");
        }

        var row = rows[0];
        if (row.GetProperty("model").GetString() != "clustered")
        {
            return;
        }

        if (!row.GetProperty("connected").GetBoolean())
        {
            throw new MemberUnusableException($"this member is not connected to the {database} cluster");
        }

        if (options.LeaderOnly && !row.GetProperty("leader").GetBoolean())
        {
            throw new MemberUnusableException($"this member is not the {database} leader");
        }
    }

    private async Task EstablishMonitorAsync(
        JsonRpcConnection live, ITableMonitor monitor, Dictionary<string, JsonElement> schemas, CancellationToken cancellationToken)
    {
        if (!schemas.TryGetValue(monitor.Database, out var schema))
        {
            schema = await GetSchemaAsync(live, monitor.Database, cancellationToken).ConfigureAwait(false);
            schemas[monitor.Database] = schema;
        }

        if (!schema.GetProperty("tables").TryGetProperty(monitor.Table, out var table))
        {
            throw new OvsdbProtocolException($"database {monitor.Database} has no table {monitor.Table}");
        }

        var known = table.GetProperty("columns").EnumerateObject().Select(column => column.Name).Append("_uuid").Append("_version")
            .ToHashSet(StringComparer.Ordinal);
        foreach (var column in monitor.Columns.Where(column => !known.Contains(column)))
        {
            OvsdbLog.ColumnMissing(logger, monitor.Table, column);
        }

        var request = monitor.BuildRequest(known);
        var requests = new JsonObject { [monitor.Table] = new JsonArray(request) };
        monitor.ResetInitial();
        if (supportsMonitorSince != false)
        {
            try
            {
                var response = await live.CallAsync(
                    "monitor_cond_since", new JsonArray(monitor.Database, monitor.MonitorId, requests, monitor.LastTransactionId), cancellationToken)
                    .ConfigureAwait(false);
                supportsMonitorSince = true;
                var elements = TableUpdateReader.ArrayElements(response.Result);
                var found = elements[0].Span.SequenceEqual("true"u8);
                var transactionId = JsonSerializer.Deserialize<string>(elements[1].Span) ?? monitor.LastTransactionId;
                OvsdbLog.Monitoring(logger, monitor.MonitorId, monitor.Table, found, transactionId);
                monitor.LastTransactionId = transactionId;
                await monitor.ApplyAsync(elements[2], resync: !found, cancellationToken).ConfigureAwait(false);
                monitor.CompleteInitial();
                return;
            }
            catch (OvsdbErrorException exception) when (exception.Error.Contains("unknown method", StringComparison.OrdinalIgnoreCase))
            {
                supportsMonitorSince = false;
            }
        }

        var reply = await live.CallAsync("monitor_cond", new JsonArray(monitor.Database, monitor.MonitorId, requests), cancellationToken)
            .ConfigureAwait(false);
        OvsdbLog.Monitoring(logger, monitor.MonitorId, monitor.Table, false, monitor.LastTransactionId);
        await monitor.ApplyAsync(reply.Result, resync: true, cancellationToken).ConfigureAwait(false);
        monitor.CompleteInitial();
    }

    private async ValueTask OnNotificationAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message.Method)
        {
            case "update2" or "update3":
                var elements = TableUpdateReader.ArrayElements(message.Params);
                var monitorId = JsonSerializer.Deserialize<string>(elements[0].Span);
                ITableMonitor? monitor;
                lock (gate)
                {
                    monitor = monitorId is null ? null : monitors.GetValueOrDefault(monitorId);
                }

                if (monitor is null)
                {
                    return;
                }

                await monitor.InitialApplied.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (message.Method == "update3")
                {
                    monitor.LastTransactionId = JsonSerializer.Deserialize<string>(elements[1].Span) ?? monitor.LastTransactionId;
                }

                await monitor.ApplyAsync(elements[^1], resync: false, cancellationToken).ConfigureAwait(false);
                break;
            case "monitor_canceled":
                // ovsdb-server(7): sent when the database is removed or converted (online schema upgrade).
                var canceled = TableUpdateReader.ArrayElements(message.Params);
                var id = canceled.Count > 0 ? JsonSerializer.Deserialize<string>(canceled[0].Span) : null;
                OvsdbLog.MonitorCanceled(logger, id ?? "?");
                throw new OvsdbConnectionException($"monitor {id} was cancelled by the server");
        }
    }

    private sealed class MemberUnusableException(string message) : Exception(message);
}
