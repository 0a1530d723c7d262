using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OvnUnidler.Ovsdb.Clustering;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Observability;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Remotes;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb;

/// <summary>
/// An OVSDB (RFC 7047) client that stays connected: it reconnects forever with capped, jittered
/// backoff, rotates through a cluster's members (using only members the _Server database says are
/// in the cluster), re-reads the schema and re-establishes every monitor on each connection
/// (resuming with monitor_cond_since where the server keeps history), and lets transactions wait
/// for a connection.
/// </summary>
public sealed partial class OvsdbClient : IAsyncDisposable
{
    private readonly OvsdbClientOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly IReadOnlyList<OvsdbRemote> remotes;
    private readonly OvsdbTlsSettings? tls;
    private readonly ClusterMembership membership;
    private readonly Lock gate = new();
    private readonly Dictionary<string, ITableMonitor> monitors = new(StringComparer.Ordinal);
    private readonly HashSet<string> transactedDatabases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim sessionLock = new(1, 1);
    private TaskCompletionSource<JsonRpcConnection> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JsonRpcConnection? connection;
    private TableMonitor<ServerDatabaseRow>? serverMonitor;
    private CancellationTokenSource? stopping;
    private Task? loop;
    private int monitorCount;

    public OvsdbClient(OvsdbClientOptions options, ILogger<OvsdbClient>? logger = null, TimeProvider? timeProvider = null)
    {
        this.options = options;
        this.logger = logger ?? NullLogger<OvsdbClient>.Instance;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        remotes = OvsdbRemote.ParseList(options.Remote);
        membership = new ClusterMembership(options.LeaderOnly);
        if (options.PrivateKeyFile is { Length: > 0 } key && options.CertificateFile is { Length: > 0 } certificate
            && options.CaCertificateFile is { Length: > 0 } authority)
        {
            tls = new OvsdbTlsSettings(key, certificate, authority);
        }
        else if (remotes.Any(remote => remote.Kind == RemoteKind.Ssl))
        {
            throw new ArgumentException($"remote {options.Remote} uses ssl: but PrivateKeyFile, CertificateFile and CaCertificateFile are not all set");
        }
    }

    /// <summary>Raised from the connection loop; a handler that throws is logged and does not stop the client.</summary>
    public event Action<OvsdbConnectionState>? StateChanged;

    public bool IsConnected => Volatile.Read(ref connection)?.IsOpen == true;

    public string? ConnectedRemote { get; private set; }

    /// <summary>
    /// Forgets the Raft log indexes seen, so that a clustered database restored to an older state
    /// is accepted again (as `ovn-appctl ... sb-cluster-state-reset` does for ovn-controller).
    /// </summary>
    public void ResetClusterState() => membership.Reset();

    /// <summary>Starts the connection loop in the background and returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (loop is null)
            {
                stopping = new CancellationTokenSource();
                loop = RunAsync(stopping.Token);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes once a connection to a usable server is up (monitors may still be being established).</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken) =>
        await CurrentConnection().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Registers a monitor, established now if connected and on every later connection. The handler
    /// is awaited for each batch, in order, one at a time.
    /// </summary>
    public TableMonitor<TRow> Monitor<TRow>(
        string database, TableMonitorRequest<TRow> request, Func<TableChangeBatch<TRow>, CancellationToken, ValueTask> handler)
        where TRow : class
    {
        var monitor = new TableMonitor<TRow>(database, $"{request.Table}#{Interlocked.Increment(ref monitorCount)}", request, handler);
        lock (gate)
        {
            monitors[monitor.MonitorId] = monitor;
        }

        if (Volatile.Read(ref connection) is { IsOpen: true } live)
        {
            _ = EstablishOnLiveConnectionAsync(live, monitor);
        }

        return monitor;
    }

    /// <summary>
    /// Stops a monitor (RFC 7047 section 4.1.7, monitor_cancel): the server stops sending its
    /// updates, the handler is not called again and the monitor is not re-established.
    /// </summary>
    public async Task CancelMonitorAsync<TRow>(TableMonitor<TRow> monitor, CancellationToken cancellationToken)
        where TRow : class
    {
        ITableMonitor cancelled = monitor;
        cancelled.Cancel();
        lock (gate)
        {
            monitors.Remove(cancelled.MonitorId);
        }

        // An establishment under way finishes first, so the cancel is not overtaken by it.
        await sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref connection) is { IsOpen: true } live && ReferenceEquals(cancelled.EstablishedOn, live))
            {
                await live.CallAsync("monitor_cancel", [cancelled.MonitorId], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            sessionLock.Release();
        }
    }

    /// <summary>
    /// Runs one transaction once connected. A refused transaction throws <see cref="OvsdbTransactionException"/>
    /// naming the operation and the server's error; a refused request (unknown database) throws
    /// <see cref="OvsdbErrorException"/>; a connection lost before the reply throws
    /// <see cref="OvsdbConnectionException"/> (outcome unknown).
    /// </summary>
    public async Task<IReadOnlyList<OperationResult>> TransactAsync(
        string database, IReadOnlyList<OvsdbOperation> operations, CancellationToken cancellationToken)
    {
        var live = await UsableConnectionAsync(database, cancellationToken).ConfigureAwait(false);
        var parameters = new JsonArray(JsonValue.Create(database));
        foreach (var operation in operations)
        {
            parameters.Add(operation.Json.DeepClone());
        }

        var response = await live.CallAsync("transact", parameters, cancellationToken).ConfigureAwait(false);
        return TransactionResults.Read(response, operations);
    }

    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken cancellationToken)
    {
        var live = await CurrentConnection().WaitAsync(cancellationToken).ConfigureAwait(false);
        var response = await live.CallAsync("list_dbs", [], cancellationToken).ConfigureAwait(false);
        return MethodResults.DatabaseNames(response);
    }

    public async Task<JsonElement> GetSchemaAsync(string database, CancellationToken cancellationToken)
    {
        var live = await CurrentConnection().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await GetSchemaAsync(live, database, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        CancellationTokenSource? stop;
        Task? running;
        lock (gate)
        {
            stop = stopping;
            running = loop;
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        if (running is not null)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        stop?.Dispose();
    }

    /// <summary>The live connection; one that has just failed is forgotten at once, so callers wait for the next.</summary>
    private Task<JsonRpcConnection> CurrentConnection()
    {
        lock (gate)
        {
            if (connection is { IsOpen: false })
            {
                ForgetConnection();
            }

            return connected.Task;
        }
    }

    private void ForgetConnection()
    {
        connection = null;
        serverMonitor = null;
        ConnectedRemote = null;
        connected = new TaskCompletionSource<JsonRpcConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A connection whose server may serve <paramref name="database"/>; a member the _Server table rules out is left for another.</summary>
    private async Task<JsonRpcConnection> UsableConnectionAsync(string database, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            transactedDatabases.Add(database);
        }

        while (true)
        {
            var live = await CurrentConnection().WaitAsync(cancellationToken).ConfigureAwait(false);
            TableMonitor<ServerDatabaseRow>? server;
            lock (gate)
            {
                server = ReferenceEquals(connection, live) ? serverMonitor : null;
            }

            if (server is null || membership.Refusal(server.Rows.Values, [database]) is not { } refusal)
            {
                return live;
            }

            OvsdbLog.MemberSkipped(logger, ConnectedRemote ?? "?", refusal);
            live.Fail(new OvsdbConnectionException(refusal));
        }
    }

    private static async Task<JsonElement> GetSchemaAsync(JsonRpcConnection live, string database, CancellationToken cancellationToken)
    {
        var response = await live.CallAsync("get_schema", [database], cancellationToken).ConfigureAwait(false);
        return MethodResults.Schema(response, database);
    }
}
