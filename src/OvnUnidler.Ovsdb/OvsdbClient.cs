using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OvnUnidler.Ovsdb.Monitoring;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Remotes;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Ovsdb;

/// <summary>
/// An OVSDB (RFC 7047) client that stays connected: it reconnects forever with capped, jittered
/// backoff, rotates through a cluster's members, re-reads the schema and re-establishes every
/// monitor on each connection (resuming with monitor_cond_since where the server keeps history),
/// and lets transactions wait for a connection.
/// </summary>
public sealed partial class OvsdbClient : IAsyncDisposable
{
    private readonly OvsdbClientOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly IReadOnlyList<OvsdbRemote> remotes;
    private readonly OvsdbTlsSettings? tls;
    private readonly Lock gate = new();
    private readonly Dictionary<string, ITableMonitor> monitors = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim sessionLock = new(1, 1);
    private TaskCompletionSource<JsonRpcConnection> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JsonRpcConnection? connection;
    private CancellationTokenSource? stopping;
    private Task? loop;
    private int monitorCount;

    public OvsdbClient(OvsdbClientOptions options, ILogger<OvsdbClient>? logger = null, TimeProvider? timeProvider = null)
    {
        this.options = options;
        this.logger = logger ?? NullLogger<OvsdbClient>.Instance;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        remotes = OvsdbRemote.ParseList(options.Remote);
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

    public event Action<OvsdbConnectionState>? StateChanged;

    public bool IsConnected => Volatile.Read(ref connection)?.IsOpen == true;

    public string? ConnectedRemote { get; private set; }

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
    /// Runs one transaction once connected. A refused transaction throws <see cref="OvsdbTransactionException"/>;
    /// a connection lost before the reply throws <see cref="OvsdbConnectionException"/> (outcome unknown).
    /// </summary>
    public async Task<IReadOnlyList<OperationResult>> TransactAsync(
        string database, IReadOnlyList<OvsdbOperation> operations, CancellationToken cancellationToken)
    {
        var live = await CurrentConnection().WaitAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new JsonArray(JsonValue.Create(database));
        foreach (var operation in operations)
        {
            parameters.Add(operation.Json.DeepClone());
        }

        var response = await live.CallAsync("transact", parameters, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Result);
        var results = new List<OperationResult>(operations.Count);
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                throw new OvsdbTransactionException(
                    index, error.GetString()!, element.TryGetProperty("details", out var details) ? details.GetString() : null);
            }

            if (index < operations.Count)
            {
                results.Add(element.ValueKind == JsonValueKind.Object ? OperationResult.From(element) : new OperationResult(null, null, null));
            }

            index++;
        }

        return results;
    }

    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken cancellationToken)
    {
        var live = await CurrentConnection().WaitAsync(cancellationToken).ConfigureAwait(false);
        var response = await live.CallAsync("list_dbs", [], cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Result);
        return [.. document.RootElement.EnumerateArray().Select(name => name.GetString()!)];
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
        sessionLock.Dispose();
    }

    private Task<JsonRpcConnection> CurrentConnection()
    {
        lock (gate)
        {
            return connected.Task;
        }
    }

    private static async Task<JsonElement> GetSchemaAsync(JsonRpcConnection live, string database, CancellationToken cancellationToken)
    {
        var response = await live.CallAsync("get_schema", [database], cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Result);
        return document.RootElement.Clone();
    }
}
